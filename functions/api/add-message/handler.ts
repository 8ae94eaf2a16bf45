import { composeFromEnv } from '../../shared/platform/composition.ts';
import { addMessage } from './add-message.ts';

export const handler = addMessage(composeFromEnv());
