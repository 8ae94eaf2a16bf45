import { composeFromEnv } from '../../shared/platform/composition.ts';
import { patchTicket } from './patch-ticket.ts';

export const handler = patchTicket(composeFromEnv());
