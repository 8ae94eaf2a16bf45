import { composeFromEnv } from '../../shared/composition.ts';
import { auditEvents } from './audit-events.ts';

export const handler = auditEvents(composeFromEnv());
