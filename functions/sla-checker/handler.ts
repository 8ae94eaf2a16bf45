import { composeFromEnv } from '../shared/composition.ts';
import { observed } from '../shared/observability.ts';
import { checkSlaTimer } from '../sla-timers/sla-timers.ts';

const deps = composeFromEnv();

/** Target of the one-time SLA schedules. */
export const handler = observed(deps, checkSlaTimer(deps));
