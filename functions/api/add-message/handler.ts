import { composeFromEnv } from '../../shared/composition.ts';
import { addMessage } from './add-message.ts';

export const handler = addMessage(composeFromEnv());
