import { composeFromEnv } from '../../shared/platform/composition.ts';
import { getTicket } from './get-ticket.ts';

export const handler = getTicket(composeFromEnv());
