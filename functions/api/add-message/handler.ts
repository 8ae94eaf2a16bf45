import { attachmentFilesFromConfig } from '../../shared/aws/s3-attachment-files.ts';
import { composeFromEnv } from '../../shared/platform/composition.ts';
import { addMessage } from './add-message.ts';

export const handler = addMessage(composeFromEnv((config) => ({ attachmentFiles: attachmentFilesFromConfig(config) })));
