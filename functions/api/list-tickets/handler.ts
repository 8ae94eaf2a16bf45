import { composeFromEnv } from '../../shared/composition.ts';
import { listTickets } from './list-tickets.ts';

export const handler = listTickets(composeFromEnv());
