import { composeFromEnv } from '../../shared/platform/composition.ts';
import { listTickets } from './list-tickets.ts';

export const handler = listTickets(composeFromEnv());
