import { composeFromEnv } from '../../shared/composition.ts';
import { ticketMessages } from './ticket-messages.ts';

export const handler = ticketMessages(composeFromEnv());
