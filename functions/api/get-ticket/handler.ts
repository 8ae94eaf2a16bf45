import { composeFromEnv } from '../../shared/composition.ts';
import { getTicket } from './get-ticket.ts';

export const handler = getTicket(composeFromEnv());
