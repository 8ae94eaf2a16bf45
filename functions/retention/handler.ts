import type { Context } from 'aws-lambda';
import { composeFromEnv } from '../shared/composition.ts';
import { runRetention } from './retention.ts';

/** Invoked by the stack's daily rate schedule; stops a minute before the function's timeout. */
export const handler = (_event: unknown, context: Context) =>
  runRetention(composeFromEnv(), { timeLeftMs: () => context.getRemainingTimeInMillis() })();
