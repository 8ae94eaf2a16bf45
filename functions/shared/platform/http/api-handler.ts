import type middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { mayPerform, type Permission } from '../../../../domain/access.ts';
import { recordAuditorRead } from '../../application/auditor-reads.ts';
import type { Deps } from '../../ports/deps.ts';
import { MetricUnit, observed } from '../observability.ts';
import { type Principal, principalFromClaims } from './principal.ts';
import { type FieldError, Problem, validationProblem } from './problem.ts';
import { problemFromError } from './problem-from-error.ts';
import { countRequest, limitsFor, policyHeader, type RateVerdict } from './rate-limits.ts';

export const maxBodyBytes = 256 * 1024;

/** The event API Gateway's HTTP API (payload 2.0) sends, with the JWT authorizer's claims. */
export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & { authorizer?: { jwt?: { claims?: unknown } } };
};
export type HttpResult = APIGatewayProxyStructuredResultV2;
export type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

export interface ApiRequest<B, Q, P> {
  body: B;
  /** The body's bytes, on a route that takes files (spec.raw); body is then parsed only if it is JSON. */
  raw: Buffer;
  query: Q;
  params: P;
  principal: Principal;
  headers: Record<string, string | undefined>;
  method: string;
  path: string;
  requestId: string;
  correlationId: string;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HandlerSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  permission: Permission;
  body?: B;
  /** The route takes a file as its body too (any media type); JSON is still parsed into body. */
  raw?: true;
  query?: Q;
  params?: P;
}

const correlationIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The one shape of every API Lambda: authorise, parse with zod, run, answer JSON; every failure
 * becomes problem+json and is logged without request data (bodies carry personal data).
 */
export function apiHandler<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType>(
  deps: Deps,
  spec: HandlerSpec<B, Q, P>,
  run: (request: ApiRequest<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<ApiResponse>,
): HttpHandler {
  return pipeline(deps, async (event) => {
    const principal = authorise(event, spec.permission);
    await limitRate(deps, event, principal);
    const request = {
      principal,
      headers: event.headers ?? {},
      method: event.requestContext.http.method,
      path: event.rawPath,
      requestId: event.requestContext.requestId,
      correlationId: correlationIdOf(event),
      params: parsePart(spec.params, event.pathParameters ?? {}, 'path'),
      query: parsePart(spec.query, event.queryStringParameters ?? {}, 'query'),
      body: spec.body && !(spec.raw && !isJson(event)) ? parsePart(spec.body, jsonBody(event), 'body') : undefined,
      raw: spec.raw ? bodyBytes(event) : Buffer.alloc(0),
    };
    deps.logger.appendKeys({ tenantId: principal.tenantId, correlationId: request.correlationId });
    const response = await run(request as ApiRequest<z.infer<B>, z.infer<Q>, z.infer<P>>);
    if (principal.roles.includes('auditor') && request.method === 'GET' && response.status < 400) {
      await recordAuditorRead(deps, {
        ...request,
        route: event.routeKey,
        query: event.queryStringParameters ?? {},
        status: response.status,
      });
    }
    return toResult({ ...response, headers: { ...rateHeaders.get(event), ...response.headers } }, request.correlationId);
  });
}

/** Each answer's RateLimit headers, kept per event so an error thrown after counting carries them too. */
const rateHeaders = new WeakMap<HttpEvent, Record<string, string>>();

/**
 * Counts the request against its tenant's and token's limits; over either, a 429. A counter out
 * of reach lets the request through (with the policy, without counts): a limit is not worth an outage.
 */
async function limitRate(deps: Deps, event: HttpEvent, principal: Principal) {
  let verdict: RateVerdict;
  try {
    verdict = await countRequest(deps.rateCounter, deps.config.rateLimits, principal, deps.clock());
  } catch (error) {
    deps.logger.warn('rate limit counter unavailable', { errorName: (error as Error).name });
    deps.metrics.addMetric('RateLimitUnavailable', MetricUnit.Count, 1);
    rateHeaders.set(event, { 'ratelimit-policy': policyHeader(limitsFor(deps.config.rateLimits, principal.tenantId)) });
    return;
  }
  rateHeaders.set(event, verdict.headers);
  if (verdict.exceeded)
    throw new Problem(
      'tooManyRequests',
      `More requests this minute than your tenant's or your token's limit (RateLimit-Policy); retry in ${verdict.retryAfterSeconds} s`,
      {},
      verdict.headers,
    );
}

/** A route anyone may call (health, the API document): the same pipeline without authorisation. */
export const publicHandler = (deps: Deps, run: (event: HttpEvent) => Promise<ApiResponse>): HttpHandler =>
  pipeline(deps, async (event) => toResult(await run(event), correlationIdOf(event)));

/** What every Lambda gets (trace, log context, metrics), then the HTTP part: headers, problems. */
const pipeline = (deps: Deps, handle: (event: HttpEvent) => Promise<HttpResult>): HttpHandler =>
  observed(deps, handle).use(httpHeaderNormalizer()).use(problemResponses(deps));

function authorise(event: HttpEvent, permission: Permission): Principal {
  const principal = principalFromClaims(event.requestContext.authorizer?.jwt?.claims);
  if (!principal) throw new Problem('unauthorized', 'A valid bearer token with sub, tenant and roles is required');
  if (!mayPerform(principal.roles, permission)) {
    throw new Problem('forbidden', `This needs one of the roles allowed to ${permission}`);
  }
  return principal;
}

const correlationIdOf = (event: HttpEvent) => {
  const given = event.headers?.['x-correlation-id'];
  return given && correlationIdPattern.test(given) ? given : event.requestContext.requestId;
};

const mediaTypeOf = (event: HttpEvent) => (event.headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
const isJson = (event: HttpEvent) => {
  const mediaType = mediaTypeOf(event);
  return mediaType === 'application/json' || /^application\/[\w.-]+\+json$/.test(mediaType);
};
const bodyBytes = (event: HttpEvent) =>
  event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64') : Buffer.from(event.body ?? '', 'utf8');

function jsonBody(event: HttpEvent): unknown {
  if (!isJson(event)) throw new Problem('unsupportedMediaType', 'Send the body as application/json');
  const raw = bodyBytes(event);
  if (raw.byteLength > maxBodyBytes) {
    throw new Problem('payloadTooLarge', `The body is ${raw.byteLength} bytes; at most ${maxBodyBytes} are accepted`);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new Problem('malformedJson', 'The body could not be parsed as JSON');
  }
}

function parsePart<S extends z.ZodType>(schema: S | undefined, value: unknown, location: FieldError['location']) {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw validationProblem(
    parsed.error.issues.flatMap((issue) =>
      // An unknown field is reported at the field itself, one entry each.
      (issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path]).map((path) => ({
        path: jsonPointer(path),
        location,
        message: issue.code === 'unrecognized_keys' ? 'Unknown field' : issue.message,
      })),
    ),
  );
}

const jsonPointer = (path: PropertyKey[]) => path.map((key) => `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

function toResult(response: ApiResponse, correlationId: string): HttpResult {
  const headers: Record<string, string> = { 'x-correlation-id': correlationId, ...response.headers };
  if (response.body === undefined) return { statusCode: response.status, headers };
  if (response.body instanceof Uint8Array) {
    return { statusCode: response.status, headers, body: Buffer.from(response.body).toString('base64'), isBase64Encoded: true };
  }
  if (typeof response.body === 'string') return { statusCode: response.status, headers, body: response.body };
  return {
    statusCode: response.status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(response.body),
  };
}

function problemResponses(deps: Deps): middy.MiddlewareObj<HttpEvent, HttpResult> {
  const started = new WeakMap<object, number>();
  const log = (request: middy.Request<HttpEvent, HttpResult>) => {
    const { http } = request.event.requestContext;
    deps.logger.info('request', {
      method: http.method,
      route: request.event.routeKey,
      status: request.response?.statusCode,
      durationMs: Date.now() - (started.get(request) ?? Date.now()),
    });
  };
  return {
    before: (request) => {
      started.set(request, Date.now());
    },
    after: (request) => log(request),
    onError: (request) => {
      const problem = problemFromError(request.error, deps);
      request.response = problem.toResponse({ ...rateHeaders.get(request.event), 'x-correlation-id': correlationIdOf(request.event) });
      log(request);
    },
  };
}

/**
 * One function serving several routes: the handler of each route key ("POST /v1/webhooks"). A
 * route key without one is a wiring bug (the gateway only sends the routes it was given).
 */
export const byRouteKey =
  (what: string, routes: Record<string, HttpHandler>): HttpHandler =>
  (event, context) => {
    const handler = routes[event.routeKey];
    if (!handler) throw new Error(`no ${what} handler for ${event.routeKey}`);
    return handler(event, context);
  };
