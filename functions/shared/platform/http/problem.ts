import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { MeridianError } from '../../../../domain/meridian-error.ts';

/** Problem types (RFC 9457): a stable URN per kind, so integrators can switch on `type`. */
export const problemTypes = {
  validation: { status: 400, title: 'The request is not valid' },
  malformedJson: { status: 400, title: 'The body is not valid JSON' },
  unauthorized: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'Your roles do not allow this' },
  notFound: { status: 404, title: 'Not found' },
  methodNotAllowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  gone: { status: 410, title: 'Gone for good' },
  payloadTooLarge: { status: 413, title: 'The body is too large' },
  unsupportedMediaType: { status: 415, title: 'Unsupported media type' },
  preconditionFailed: { status: 412, title: 'The resource has changed' },
  idempotencyKeyReused: { status: 422, title: 'Idempotency-Key reused with another request' },
  refusedUrl: { status: 422, title: 'Meridian does not call this URL' },
  automationNeverStops: { status: 422, title: 'The automation would match again after it fires' },
  wrongRegion: { status: 421, title: 'Wrong region' },
  preconditionRequired: { status: 428, title: 'If-Match is required' },
  tooManyRequests: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Busy or briefly unavailable; retry' },
} as const;
export type ProblemKind = keyof typeof problemTypes;

export const problemTypeUri = (kind: ProblemKind) => `urn:meridian:problem:${kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export interface FieldError {
  /** JSON Pointer (RFC 6901) into the part of the request named by `location`. */
  path: string;
  location: 'body' | 'query' | 'path' | 'header';
  message: string;
}

export class Problem extends MeridianError {
  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
    /** Headers the answer carries besides the problem's own (Retry-After on a 429). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }

  get status(): number {
    return problemTypes[this.kind].status;
  }

  toResponse(headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
    const body = {
      type: problemTypeUri(this.kind),
      title: problemTypes[this.kind].title,
      status: this.status,
      detail: this.detail,
      ...this.extensions,
    };
    return {
      statusCode: this.status,
      // A retry with the same Idempotency-Key is safe: nothing, or all of it, was written.
      headers: {
        'content-type': 'application/problem+json',
        ...(this.kind === 'unavailable' ? { 'retry-after': '1' } : {}),
        ...this.headers,
        ...headers,
      },
      body: JSON.stringify(body),
    };
  }
}

export const validationProblem = (errors: FieldError[]) =>
  new Problem('validation', `${errors.length} field${errors.length === 1 ? '' : 's'} failed validation`, { errors });
