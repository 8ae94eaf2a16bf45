import type { DynamoDBRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../events/envelope.ts';
import { projector } from '../../functions/projector/projector.ts';
import { ticketsOf } from '../../functions/shared/application/data-subjects.ts';
import { commitTicket } from '../../functions/shared/application/ticket-commands.ts';
import { eraseTicket } from '../../functions/shared/application/ticket-erasure.ts';
import { eventToItem } from '../../functions/shared/dynamodb/event-store.ts';
import { testDeps } from '../support/deps.ts';
import { agentContext, opening } from '../support/ticket-commands.ts';

const record = (event: StoredEvent, sequence: number): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: { NewImage: eventToItem(event) as never, SequenceNumber: String(sequence).padStart(21, '0') },
});

describe("a subject's tickets, for a request about them", () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  const subject = (email: string) => deps.subjectKeys.resolve('acme', { kind: 'email', value: email });
  const open = async (subjectId: string) => {
    const ticketId = deps.newId();
    const { events } = await commitTicket(deps, { ticketId, commands: [opening(ticketId, subjectId)], context: agentContext });
    return { ticketId, events };
  };

  beforeAll(async () => {
    deps = await testDeps();
  });

  it('counts each ticket the subject opens, once, and nothing after their erasure', async () => {
    const subjectId = await subject('counted@example.com');
    const { ticketId } = await open(subjectId);
    await open(subjectId);
    expect(await deps.subjectKeys.ticketsOpened({ tenantId: 'acme', subjectId })).toBe(2);
    await commitTicket(deps, { ticketId, commands: [{ type: 'ChangePriority', to: 'high' }], context: agentContext });
    expect(await deps.subjectKeys.ticketsOpened({ tenantId: 'acme', subjectId })).toBe(2);

    await eraseTicket(deps, ticketId, { reason: 'dsar_erasure', dsarId: 'd-1' }, agentContext);
    await deps.subjectKeys.destroy({ tenantId: 'acme', subjectId });
    await deps.subjectKeys.countTicket({ tenantId: 'acme', subjectId });
    expect(await deps.subjectKeys.ticketsOpened({ tenantId: 'acme', subjectId })).toBe(0);
  });

  it('waits for the views to show a ticket opened just before the request', async () => {
    const subjectId = await subject('hurried@example.com');
    const { ticketId, events } = await open(subjectId);
    // Nothing projects here until the ticket is half a second old: the request has started by then.
    const lookup = ticketsOf(deps, 'acme', subjectId);
    setTimeout(() => void projector(deps)({ Records: events.map((event, i) => record(event, i + 1)) }), 500);
    expect((await lookup).map((ticket) => ticket.id)).toEqual([ticketId]);
  });
});
