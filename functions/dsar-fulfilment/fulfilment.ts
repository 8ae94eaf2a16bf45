import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { Dsar } from '../../domain/dsar/dsar.ts';
import type { DsarResult } from '../../domain/dsar/events.ts';
import type { DeliveredEvent } from '../../events/bus-rules.ts';
import type { StoredEvent } from '../../events/envelope.ts';
import { messageViews } from '../api/presenters.ts';
import { attachmentBytes, attachmentsOf } from '../shared/application/attachments.ts';
import type { CommandContext } from '../shared/application/commands.ts';
import { recordSubjectErased, ticketsOf } from '../shared/application/data-subjects.ts';
import { commitDsar, loadDsar, openDsar } from '../shared/application/dsar-commands.ts';
import { commitTicket, loadTicket } from '../shared/application/ticket-commands.ts';
import { eraseTicket } from '../shared/application/ticket-erasure.ts';
import { MetricUnit } from '../shared/platform/observability.ts';
import { seal } from '../shared/platform/sealing.ts';
import type { Deps } from '../shared/ports/deps.ts';

const detailSchema = z.object({ dsarId: z.string(), tenantId: z.string() });

/**
 * The target of the DsarFulfilment rule: performs a request once (a redelivered event finds it
 * fulfilled) and records the outcome. Every step is safe to repeat after a failure part-way.
 */
export const fulfilment = (deps: Deps) => async (event: DeliveredEvent) => {
  const { dsarId, tenantId } = detailSchema.parse(event.detail);
  const { dsar } = await loadDsar(deps, dsarId, tenantId);
  if (dsar.status === 'fulfilled') return;
  const context: CommandContext = {
    tenantId,
    actor: { type: 'system', id: 'dsar-fulfilment' },
    correlationId: dsarId,
    causationId: event.id,
  };
  const result = await perform(deps, await openDsar(deps, dsar), context);
  await commitDsar(deps, { dsarId, command: { type: 'FulfilDsar', result }, context });
  deps.metrics.addMetric('DsarsFulfilled', MetricUnit.Count, 1);
};

function perform(deps: Deps, dsar: Dsar, context: CommandContext): Promise<DsarResult> {
  switch (dsar.type) {
    case 'access':
    case 'export':
      return buildBundle(deps, dsar);
    case 'erasure':
      return erase(deps, dsar, context);
    case 'rectification':
      return rectify(deps, dsar, context);
  }
}

/** GDPR arts. 15 and 20: everything held on the subject, decrypted, machine-readable. */
async function buildBundle(deps: Deps, dsar: Dsar): Promise<DsarResult> {
  const tickets = [];
  for (const { id } of await ticketsOf(deps, dsar.tenantId, dsar.subjectId)) {
    const { ticket, events } = await loadTicket(deps, id, dsar.tenantId, { open: true });
    tickets.push({ ticket, messages: messageViews(id, events), files: await filesOf(deps, dsar.tenantId, events), events });
  }
  const bundle = {
    format: 'meridian.dsar-bundle/1',
    dsarId: dsar.id,
    tenantId: dsar.tenantId,
    region: deps.config.region,
    subjectId: dsar.subjectId,
    generatedAt: deps.clock().toISOString(),
    tickets,
  };
  const text = JSON.stringify(bundle);
  // Sealed with the subject's key: erasing the subject later shreds this bundle as well.
  const stored =
    dsar.subjectId === null
      ? text
      : seal(text, await deps.subjectKeys.dataKey({ tenantId: dsar.tenantId, subjectId: dsar.subjectId }), dsar.tenantId, dsar.subjectId);
  await deps.dsarBundles.put(dsar.tenantId, dsar.id, stored);
  return {
    type: dsar.type as 'access' | 'export',
    tickets: tickets.length,
    messages: tickets.reduce((sum, t) => sum + t.messages.length, 0),
    events: tickets.reduce((sum, t) => sum + t.events.length, 0),
    bundleSha256: createHash('sha256').update(text).digest('hex'),
  };
}

/** The files on a ticket's messages, their bytes in base64 (art. 20: as provided, machine-readable). */
async function filesOf(deps: Deps, tenantId: string, events: StoredEvent[]) {
  const files = [];
  for (const { id, contentType, size, sha256 } of attachmentsOf(events)) {
    const bytes = await attachmentBytes(deps, tenantId, id);
    if (bytes) files.push({ id, contentType, size, sha256, base64: Buffer.from(bytes).toString('base64') });
  }
  return files;
}

/**
 * GDPR art. 17 by crypto-shredding: each ticket's own key and then the subject's key are
 * destroyed, each ticket records TicketErased and the subject's stream SubjectErased. The events
 * stay as stored, so the hash chains still verify; what they sealed no longer opens.
 */
async function erase(deps: Deps, dsar: Dsar, context: CommandContext): Promise<DsarResult> {
  if (dsar.subjectId === null) return { type: 'erasure', tickets: 0, subjectErased: false };
  const tickets = await ticketsOf(deps, dsar.tenantId, dsar.subjectId);
  for (const ticket of tickets) await eraseTicket(deps, ticket.id, { reason: 'dsar_erasure', dsarId: dsar.id }, context);
  // Destroyed now, or by an earlier delivery of this request: either way the key is gone from here on.
  await deps.subjectKeys.destroy({ tenantId: dsar.tenantId, subjectId: dsar.subjectId });
  await recordSubjectErased(deps, { subjectId: dsar.subjectId, dsarId: dsar.id, tickets: tickets.length }, context);
  return { type: 'erasure', tickets: tickets.length, subjectErased: true };
}

/** GDPR art. 16: the corrected details are appended to every ticket of the subject; a new email finds them too. */
async function rectify(deps: Deps, dsar: Dsar, context: CommandContext): Promise<DsarResult> {
  const corrections = dsar.corrections ?? {};
  const tickets = await ticketsOf(deps, dsar.tenantId, dsar.subjectId);
  if (dsar.subjectId !== null && corrections.email)
    await deps.subjectKeys.link(dsar.tenantId, { kind: 'email', value: corrections.email }, dsar.subjectId);
  let changed = 0;
  for (const ticket of tickets) {
    if (ticket.erasedAt !== null) continue;
    const { events } = await commitTicket(deps, {
      ticketId: ticket.id,
      commands: [{ type: 'RectifyRequester', dsarId: dsar.id, ...corrections }],
      context,
    });
    if (events.length > 0) changed += 1;
  }
  return { type: 'rectification', tickets: changed };
}
