import { composeFromEnv } from '../../shared/composition.ts';
import { ticketEvents } from './ticket-events.ts';

export const handler = ticketEvents(composeFromEnv());
