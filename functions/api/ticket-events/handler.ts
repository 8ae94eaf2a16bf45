import { composeFromEnv } from '../../shared/platform/composition.ts';
import { ticketEvents } from './ticket-events.ts';

export const handler = ticketEvents(composeFromEnv());
