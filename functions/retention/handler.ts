import type { Context } from 'aws-lambda';
import { composeFromEnv } from '../shared/platform/composition.ts';
import { observed } from '../shared/platform/observability.ts';
import { runRetention } from './retention.ts';

const deps = composeFromEnv();

/** Invoked by the stack's daily rate schedule; stops a minute before the function's timeout. */
export const handler = observed(deps, (_event: unknown, context: Context) =>
  runRetention(deps, { timeLeftMs: () => context.getRemainingTimeInMillis() })(),
);
