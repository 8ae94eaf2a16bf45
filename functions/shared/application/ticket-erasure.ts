import type { ErasureReason } from '../../../domain/ticket/commands.ts';
import type { Deps } from '../ports/deps.ts';
import type { CommandContext } from './commands.ts';
import { commitTicket } from './ticket-commands.ts';

/**
 * Crypto-shreds one ticket: its own data key first (what was written in it no longer opens), then
 * the evidence, TicketErased. Safe to repeat: after a crash between the two, the next attempt
 * finds the key gone and records the erasure.
 */
export async function eraseTicket(deps: Deps, ticketId: string, reason: ErasureReason, context: CommandContext) {
  await deps.subjectKeys.destroy({ tenantId: context.tenantId, subjectId: ticketId });
  return commitTicket(deps, { ticketId, commands: [{ type: 'EraseTicket', ...reason }], context });
}
