import { createHash } from 'node:crypto';
import type { ApiRequest } from '../shared/platform/http/api-handler.ts';
import { validationProblem } from '../shared/platform/http/problem.ts';
import { idempotencyKeySchema } from './schemas/common.ts';

/**
 * The Idempotency-Key of a POST and a hash of what it asks for: method, path and the parsed body,
 * so the same JSON with other white space or key order is the same request.
 */
export function idempotencyOf(request: ApiRequest<unknown, unknown, unknown>) {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  const parsed = idempotencyKeySchema.safeParse(key);
  if (!parsed.success) {
    throw validationProblem([{ path: '/idempotency-key', location: 'header', message: parsed.error.issues[0]!.message }]);
  }
  const requestHash = createHash('sha256')
    .update(`${request.method} ${request.path}\n${JSON.stringify(request.body)}`)
    .digest('base64url');
  return { key: parsed.data, requestHash };
}
