import { schedulerFromConfig } from '../shared/aws/scheduler.ts';
import { composeFromEnv } from '../shared/platform/composition.ts';
import { observed } from '../shared/platform/observability.ts';
import { planSlaTimers } from './sla-timers.ts';

const deps = composeFromEnv((config) => ({ scheduler: schedulerFromConfig(config) }));

/** Target of the SlaTimers rule. */
export const handler = observed(deps, planSlaTimers(deps));
