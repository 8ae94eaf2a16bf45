import { composeFromEnv } from '../../shared/composition.ts';
import { linkContact } from './link-contact.ts';

export const handler = linkContact(composeFromEnv());
