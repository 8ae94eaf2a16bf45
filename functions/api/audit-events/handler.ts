import { composeFromEnv } from '../../shared/platform/composition.ts';
import { auditEvents } from './audit-events.ts';

export const handler = auditEvents(composeFromEnv());
