import { composeFromEnv } from '../shared/platform/composition.ts';
import { observed } from '../shared/platform/observability.ts';
import { checkSlaTimer } from '../sla-timers/sla-timers.ts';

const deps = composeFromEnv();

/** Target of the one-time SLA schedules. */
export const handler = observed(deps, checkSlaTimer(deps));
