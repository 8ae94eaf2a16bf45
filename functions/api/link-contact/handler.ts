import { composeFromEnv } from '../../shared/platform/composition.ts';
import { linkContact } from './link-contact.ts';

export const handler = linkContact(composeFromEnv());
