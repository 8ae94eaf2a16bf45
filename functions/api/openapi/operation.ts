import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { homeRegions } from '../../../domain/residency.ts';
import { type ProblemKind, problemTypes, problemTypeUri } from '../../shared/platform/http/problem.ts';
import { idempotencyKeySchema, ifMatchSchema } from '../schemas/common.ts';

/**
 * What a route says of itself in the OpenAPI document, and the pieces its operations share:
 * problems, headers, refusals. Each route file in functions/api/routes/ writes its operation
 * beside the route, so a route cannot be wired without its documentation.
 */

export const problem = z
  .object({
    type: z.string().meta({ example: problemTypeUri('validation') }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().optional().meta({ description: 'For 409: the domain rule that refused, e.g. illegal_transition' }),
    errors: z
      .array(z.object({ path: z.string(), location: z.enum(['body', 'query', 'path', 'header']), message: z.string() }))
      .optional()
      .meta({ description: 'For 400: each field that failed; path is a JSON Pointer into location' }),
    homeRegion: z.enum(homeRegions).optional().meta({ description: "For 421: the region where the requester's data lives" }),
    endpoint: z
      .url()
      .nullable()
      .optional()
      .meta({ description: 'For 421: the API endpoint of homeRegion (null if that region is not deployed here)' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const problems = (...kinds: ProblemKind[]) =>
  Object.fromEntries(
    [...new Set(kinds.map((kind) => problemTypes[kind].status))].map((status) => [
      status,
      {
        description: kinds
          .filter((k) => problemTypes[k].status === status)
          .map((k) => problemTypes[k].title)
          .join('; '),
        content: {
          'application/problem+json': { schema: problem },
          // In AWS the JWT authorizer answers a missing or bad token itself, with API Gateway's own body.
          ...(status === 401 ? { 'application/json': { schema: z.object({ message: z.string() }) } } : {}),
        },
      },
    ]),
  );

export const etag = { ETag: { description: 'The ticket stream version, quoted', schema: { type: 'string' as const } } };
export const policyEtag = { ETag: { description: 'The policy stream version, quoted', schema: { type: 'string' as const } } };
export const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
export const authProblems: ProblemKind[] = ['unauthorized', 'forbidden', 'internal', 'unavailable'];
export const bodyProblems: ProblemKind[] = ['validation', 'malformedJson', 'payloadTooLarge', 'unsupportedMediaType'];
export const idempotencyHeader = z.object({ 'idempotency-key': idempotencyKeySchema.optional() });
export const ifMatchHeader = z.object({ 'if-match': ifMatchSchema.optional() });

export type Operation = Omit<RouteConfig, 'method' | 'path'> & { 'x-refusals'?: Refusal[] };

/** A 400 that a schema-valid request can still get: where its error points, and why. */
export interface Refusal {
  in: 'body' | 'query';
  /** A JSON Pointer into that part; `*` stands for any array index. */
  path: string;
  when: string;
}
export const refusal = (part: Refusal['in'], path: string, when: string): Refusal => ({ in: part, path, when });
export const opaqueCursor = refusal('query', '/cursor', 'cursor is not a nextCursor this API gave for the same query');

/** API Gateway's answer past the stage's throttle (`meridian:peakRequestsPerSecond`), before any function runs. */
export const throttled = {
  description:
    'Throttled by API Gateway: more requests than the region takes per second. Retry after a pause (the local runtime never throttles).',
  content: { 'application/json': { schema: z.object({ message: z.string() }) } },
};

/** The IETF httpapi draft's fields, on every answer to a request with a token. */
export const rateLimitHeaders = {
  'RateLimit-Policy': {
    description: 'The quotas: "tenant";q=<requests>;w=60, "token";q=<requests>;w=60 (Structured Fields list, IETF httpapi draft)',
    schema: { type: 'string' as const },
  },
  RateLimit: {
    description: 'What is left of each: "tenant";r=<remaining>;t=<seconds to reset>, "token";r=...;t=...',
    schema: { type: 'string' as const },
  },
};

/** Over the stage's throttle (API Gateway's body), or over the tenant's or the token's quota (a problem). */
export const tooManyRequests = {
  description:
    "Over your tenant's or your token's quota this minute (problem+json, with Retry-After and the RateLimit fields), or " +
    "throttled by API Gateway above the region's peak (its own JSON body; the local runtime never throttles that way).",
  headers: { 'Retry-After': { description: 'Seconds until the quota resets', schema: { type: 'integer' as const } }, ...rateLimitHeaders },
  content: { 'application/problem+json': { schema: problem }, ...throttled.content },
};

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One HTTP route: the function (the folder under functions/api) that serves it, and how the document shows it. */
export interface Route<F extends string = string> {
  method: Method;
  path: string;
  fn: F;
  /** Behind the JWT authorizer. */
  auth: boolean;
  /** The path and operation the document shows; several where each value of a path parameter takes its own body. */
  documents: Array<{ path: string; operation: Operation }>;
}

/** A route behind the JWT authorizer, with its operation. */
export const route = <const F extends string>(method: Method, path: string, fn: F, operation: Operation): Route<F> => ({
  method,
  path,
  fn,
  auth: true,
  documents: [{ path, operation }],
});

/** A route anyone may call (health, the document, providers' webhooks), with its operation. */
export const publicRoute = <const F extends string>(method: Method, path: string, fn: F, operation: Operation): Route<F> => ({
  ...route(method, path, fn, operation),
  auth: false,
});
