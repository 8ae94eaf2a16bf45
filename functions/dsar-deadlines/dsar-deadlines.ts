import * as z from 'zod';
import type { DeliveredEvent } from '../../events/bus-rules.ts';
import { commitDsar } from '../shared/application/dsar-commands.ts';
import type { Deps } from '../shared/ports/deps.ts';

const requestedSchema = z.object({ dsarId: z.string(), tenantId: z.string(), dueAt: z.iso.datetime(), warnAt: z.iso.datetime() });
export const deadlineCheckSchema = z.strictObject({ dsarId: z.string(), tenantId: z.string(), check: z.enum(['warn', 'escalate']) });
export type DeadlineCheck = z.infer<typeof deadlineCheckSchema>;

/** The DsarDeadlines rule's target: one schedule to warn before the due time, one to escalate at it. */
export const planDsarDeadlines = (deps: Deps) => async (event: DeliveredEvent) => {
  const { dsarId, tenantId, dueAt, warnAt } = requestedSchema.parse(event.detail);
  const check = (kind: DeadlineCheck['check'], at: string) =>
    deps.scheduler.scheduleOnce({
      name: `dsar-${dsarId}-${kind}`,
      at: new Date(at),
      target: 'dsar-deadlines',
      payload: { dsarId, tenantId, check: kind } satisfies DeadlineCheck,
    });
  await check('warn', warnAt);
  await check('escalate', dueAt);
};

/** What a schedule fires: the request decides whether the warning or escalation is (still) due. */
export const checkDsarDeadline = (deps: Deps) => async (payload: unknown) => {
  const { dsarId, tenantId, check } = deadlineCheckSchema.parse(payload);
  await commitDsar(deps, {
    dsarId,
    command: { type: check === 'warn' ? 'WarnDsarDeadline' : 'EscalateDsar' },
    context: { tenantId, actor: { type: 'system', id: 'dsar-deadlines' }, correlationId: dsarId, causationId: `dsar-${dsarId}-${check}` },
  });
};
