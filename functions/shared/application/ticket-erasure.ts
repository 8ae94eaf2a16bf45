import type { ErasureReason } from '../../../domain/ticket/commands.ts';
import type { Deps } from '../ports/deps.ts';
import { attachmentsOf, eraseAttachments } from './attachments.ts';
import type { CommandContext } from './commands.ts';
import { commitTicket, loadTicket } from './ticket-commands.ts';

/**
 * Crypto-shreds one ticket: its files (their keys, then the files), its own data key (what was
 * written in it no longer opens), then the evidence, TicketErased. Safe to repeat: after a crash
 * part-way, the next attempt finds the keys gone and records the erasure.
 */
export async function eraseTicket(deps: Deps, ticketId: string, reason: ErasureReason, context: CommandContext) {
  const { events } = await loadTicket(deps, ticketId, context.tenantId, {});
  await eraseAttachments(deps, context.tenantId, attachmentsOf(events));
  await deps.subjectKeys.destroy({ tenantId: context.tenantId, subjectId: ticketId });
  return commitTicket(deps, { ticketId, commands: [{ type: 'EraseTicket', ...reason }], context });
}
