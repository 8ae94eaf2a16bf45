import { composeFromEnv } from '../shared/composition.ts';
import { observed } from '../shared/observability.ts';
import { schedulerFromConfig } from '../shared/scheduler.ts';
import { planSlaTimers } from './sla-timers.ts';

const deps = composeFromEnv((config) => ({ scheduler: schedulerFromConfig(config) }));

/** Target of the SlaTimers rule. */
export const handler = observed(deps, planSlaTimers(deps));
