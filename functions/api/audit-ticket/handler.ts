import { composeFromEnv } from '../../shared/platform/composition.ts';
import { auditTicket } from './audit-ticket.ts';

export const handler = auditTicket(composeFromEnv());
