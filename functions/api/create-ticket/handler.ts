import { attachmentFilesFromConfig } from '../../shared/aws/s3-attachment-files.ts';
import { composeFromEnv } from '../../shared/platform/composition.ts';
import { createTicket } from './create-ticket.ts';

export const handler = createTicket(composeFromEnv((config) => ({ attachmentFiles: attachmentFilesFromConfig(config) })));
