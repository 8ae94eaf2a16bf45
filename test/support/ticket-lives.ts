import type { SupportSetup } from '../../domain/setup/support-setup.ts';
import { nextTimer, type RecordedChange } from '../../domain/simulation/replay.ts';
import type { TicketCommand } from '../../domain/ticket/commands.ts';
import { evolve } from '../../domain/ticket/evolve.ts';
import type { Ticket, TicketState } from '../../domain/ticket/state.ts';
import { decideAll } from '../../domain/ticket/unit.ts';

/**
 * A ticket lived as the system lives it, under `setup`: each step decided at its time (a refused
 * step leaves no trace, as a refused request does), and every SLA and automation timer run at its
 * moment in between, and after the last step up to `until` (included). Answers its changes as they
 * are recorded (a timer's caused by `timer`, the rest by `request` where no rule decided them)
 * and the ticket it left.
 */
export function liveTicket(setup: SupportSetup, steps: Array<[at: Date, commands: TicketCommand[]]>, until: Date) {
  let ticket: TicketState = null;
  const changes: RecordedChange[] = [];
  const done = new Set<string>();
  const append = (now: Date, commands: TicketCommand[], cause: string) => {
    const decision = decideAll(commands, ticket, { now, setup });
    if (!decision.ok || decision.events.length === 0) return;
    const occurredAt = now.toISOString();
    for (const event of decision.events)
      ticket = evolve(ticket, { ...event, version: (ticket?.version ?? 0) + 1, occurredAt, tenantId: setup.tenantId, actorId: 'a' });
    changes.push({ at: occurredAt, events: decision.events.map((e) => ({ ...e, causedBy: e.causedBy ?? cause })) });
  };
  const timersBefore = (limit: number) => {
    for (;;) {
      const current = ticket as TicketState;
      const timer = current && current.status !== 'closed' ? nextTimer(current, done) : null;
      if (!timer || timer.at >= limit) return;
      done.add(timer.key);
      append(new Date(timer.at), [timer.command], 'timer');
    }
  };
  for (const [at, commands] of steps) {
    timersBefore(at.getTime());
    append(at, commands, 'request');
  }
  timersBefore(until.getTime() + 1);
  return { changes, ticket: ticket as Ticket | null };
}
