import { composeFromEnv } from '../../shared/composition.ts';
import { rateTicket } from './rate-ticket.ts';

export const handler = rateTicket(composeFromEnv());
