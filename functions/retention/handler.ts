import type { Context } from 'aws-lambda';
import { attachmentFilesFromConfig } from '../shared/aws/s3-attachment-files.ts';
import { composeFromEnv } from '../shared/platform/composition.ts';
import { observed } from '../shared/platform/observability.ts';
import { runRetention } from './retention.ts';

const deps = composeFromEnv((config) => ({ attachmentFiles: attachmentFilesFromConfig(config) }));

/** Invoked by the stack's daily rate schedule; stops a minute before the function's timeout. */
export const handler = observed(deps, (_event: unknown, context: Context) =>
  runRetention(deps, { timeLeftMs: () => context.getRemainingTimeInMillis() })(),
);
