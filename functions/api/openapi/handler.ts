import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeFromEnv } from '../../shared/platform/composition.ts';
import { openApiDocumentFile, openapi } from './openapi.ts';

export const handler = openapi(composeFromEnv(), () =>
  readFileSync(join(process.env.LAMBDA_TASK_ROOT ?? '.', openApiDocumentFile), 'utf8'),
);
