import { composeFromEnv } from '../../shared/platform/composition.ts';
import { createTicket } from './create-ticket.ts';

export const handler = createTicket(composeFromEnv());
