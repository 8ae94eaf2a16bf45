import { composeFromEnv } from '../../shared/platform/composition.ts';
import { rateTicket } from './rate-ticket.ts';

export const handler = rateTicket(composeFromEnv());
