import { composeFromEnv } from '../../shared/platform/composition.ts';
import { ticketRelations } from './ticket-relations.ts';

export const handler = ticketRelations(composeFromEnv());
