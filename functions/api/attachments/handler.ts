import { attachmentFilesFromConfig } from '../../shared/aws/s3-attachment-files.ts';
import { composeFromEnv } from '../../shared/platform/composition.ts';
import { attachments } from './attachments.ts';

export const handler = attachments(composeFromEnv((config) => ({ attachmentFiles: attachmentFilesFromConfig(config) })));
