import type { DeliveredEvent } from '../../events/bus-rules.ts';
import { composeFromEnv } from '../shared/composition.ts';
import { schedulerFromConfig } from '../shared/scheduler.ts';
import { planSlaTimers } from './sla-timers.ts';

/** Target of the SlaTimers rule. */
export const handler = (event: DeliveredEvent) => planSlaTimers(composeFromEnv((config) => ({ scheduler: schedulerFromConfig(config) })))(event);
