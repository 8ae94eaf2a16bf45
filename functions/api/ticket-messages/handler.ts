import { composeFromEnv } from '../../shared/platform/composition.ts';
import { ticketMessages } from './ticket-messages.ts';

export const handler = ticketMessages(composeFromEnv());
