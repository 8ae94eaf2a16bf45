import type { DeliveredEvent } from '../../events/bus-rules.ts';
import { schedulerFromConfig } from '../shared/aws/scheduler.ts';
import { composeFromEnv } from '../shared/platform/composition.ts';
import { observed } from '../shared/platform/observability.ts';
import { checkDsarDeadline, planDsarDeadlines } from './dsar-deadlines.ts';

const deps = composeFromEnv((config) => ({ scheduler: schedulerFromConfig(config) }));

/** Two callers: the bus (a new request: plan its schedules) and Scheduler (a schedule fired: check it). */
export const handler = observed(deps, async (event: DeliveredEvent | Record<string, unknown>) => {
  if ('detail-type' in event) return planDsarDeadlines(deps)(event as DeliveredEvent);
  return checkDsarDeadline(deps)(event);
});
