import { composeFromEnv } from '../../shared/composition.ts';
import { createTicket } from './create-ticket.ts';

export const handler = createTicket(composeFromEnv());
