import { schedulerFromConfig } from '../../shared/aws/scheduler.ts';
import { composeFromEnv } from '../../shared/platform/composition.ts';
import { supportSetup } from './support-setup.ts';

// Changing automations schedules the sweep that plans open tickets' timers again.
export const handler = supportSetup(composeFromEnv((config) => ({ scheduler: schedulerFromConfig(config) })));
