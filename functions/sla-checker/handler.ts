import { composeFromEnv } from '../shared/composition.ts';
import { checkSlaTimer } from '../sla-timers/sla-timers.ts';

/** Target of the one-time SLA schedules. */
export const handler = (payload: unknown) => checkSlaTimer(composeFromEnv())(payload);
