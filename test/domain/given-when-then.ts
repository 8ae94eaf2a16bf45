import { expect } from 'vitest';
import { emptySetup } from '../../domain/setup/support-setup.ts';
import type { TicketCommand } from '../../domain/ticket/commands.ts';
import { decide } from '../../domain/ticket/decide.ts';
import type { TicketError } from '../../domain/ticket/errors.ts';
import type { TicketEvent } from '../../domain/ticket/events.ts';
import { fold } from '../../domain/ticket/evolve.ts';
import type { TicketState } from '../../domain/ticket/state.ts';
import { decideAll } from '../../domain/ticket/unit.ts';

const at = (version: number) => new Date(Date.UTC(2026, 10, 24, 9, 0, version)).toISOString();

export const stateOf = (history: TicketEvent[]): TicketState =>
  fold(history.map((event, i) => ({ ...event, version: i + 1, occurredAt: at(i + 1), tenantId: 'acme', actorId: 'agent-1' })));

/** given(history).when(command) then the events, or the refusal. */
export const given = (...history: TicketEvent[]) => ({
  when: (...commands: TicketCommand[]) => {
    const state = stateOf(history);
    const context = { now: new Date(at(99)), setup: emptySetup('acme') };
    const decision = commands.length === 1 ? decide(commands[0]!, state, context) : decideAll(commands, state, context);
    return {
      then: (...expected: TicketEvent[]) => expect(decision).toEqual({ ok: true, events: expected }),
      thenRefuses: (error: TicketError) => expect(decision).toEqual({ ok: false, error }),
    };
  },
});

export const opened: TicketEvent = {
  type: 'TicketOpened',
  data: {
    ticketId: '01JDZ0000000000000000000AA',
    subject: 'Parcel never arrived',
    description: 'Order 1234 was due last week.',
    channel: 'email',
    requester: { subjectId: '01JDZ0000000000000000000SS', email: 'anna@example.de', name: 'Anna Schmidt', country: 'DE', locale: 'de-DE' },
    homeRegion: 'eu-central-1',
    priority: 'normal',
    tags: [],
    language: 'en',
    direction: 'ltr',
  },
};
export const assigned = (assignee: string | null, team: string | null = null): TicketEvent => ({
  type: 'TicketAssigned',
  data: { assignee, team },
});
export const status = (from: TicketEvent & { type: 'StatusChanged' } extends { data: infer D } ? D : never) =>
  ({ type: 'StatusChanged', data: from }) as TicketEvent;
export const message = (from: 'agent' | 'requester', isPublic = true): TicketEvent => ({
  type: 'MessageAdded',
  data: {
    messageId: `m-${from}`,
    from,
    authorId: from === 'agent' ? 'agent-1' : 'requester',
    body: 'Hello',
    public: isPublic,
    language: null,
    direction: 'ltr',
    attachments: [],
  },
});
