import { composeFromEnv } from '../../shared/composition.ts';
import { auditTicket } from './audit-ticket.ts';

export const handler = auditTicket(composeFromEnv());
