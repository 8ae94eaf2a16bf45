import { composeFromEnv } from '../../shared/composition.ts';
import { patchTicket } from './patch-ticket.ts';

export const handler = patchTicket(composeFromEnv());
