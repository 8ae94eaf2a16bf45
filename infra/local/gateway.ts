import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import { attachmentLimits } from '../../domain/ticket/attachments.ts';
import { type ApiFunctionName, type ApiRoute, apiRoutes } from '../../functions/api/routes.ts';
import type { HttpEvent, HttpHandler, HttpResult } from '../../functions/shared/platform/http/api-handler.ts';
import { Problem } from '../../functions/shared/platform/http/problem.ts';
import type { LocalAttachmentFiles } from './file-attachment-files.ts';
import { localUploadPath } from './file-attachment-files.ts';
import { verifyToken } from './jwt.ts';

/** API Gateway's own limit on an HTTP API payload; the handlers enforce Meridian's smaller one. */
const gatewayMaxBytes = 10 * 1024 * 1024;

export interface GatewayOptions {
  region: string;
  handlers: Record<ApiFunctionName, HttpHandler>;
  jwtSecret: Uint8Array;
  /** Where upload URLs lead locally (S3 in AWS): PUTs under /_uploads/. */
  uploads?: LocalAttachmentFiles;
}

/**
 * The local stand-in for API Gateway (HTTP API, payload 2.0): routes by the same route table,
 * plays the JWT authorizer, and hands the Lambda handlers the event shape they get in AWS.
 */
export function createGateway(options: GatewayOptions): Server {
  return createServer((req, res) => {
    serve(options, req, res).catch(() => send(res, new Problem('internal', 'The local gateway failed').toResponse()));
  });
}

async function serve(options: GatewayOptions, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  if (options.uploads && url.pathname.startsWith(localUploadPath)) return receiveUpload(options.uploads, req, res, url, method);
  const candidates = apiRoutes.flatMap((route) => {
    const params = matchPath(route.path, url.pathname);
    return params ? [{ route, params }] : [];
  });
  if (candidates.length === 0) return send(res, new Problem('notFound', `No route for ${url.pathname}`).toResponse());
  const match = candidates.find((candidate) => candidate.route.method === method);
  if (!match) {
    const allow = candidates.map((candidate) => candidate.route.method).join(', ');
    return send(res, new Problem('methodNotAllowed', `Use ${allow}`).toResponse({ allow }));
  }
  const body = await readBody(req);
  if (body === 'too large') {
    return send(res, new Problem('payloadTooLarge', `At most ${gatewayMaxBytes} bytes`).toResponse({ connection: 'close' }));
  }
  const claims = match.route.auth ? await authorize(options.jwtSecret, req.headers.authorization) : undefined;
  if (match.route.auth && !claims) {
    return send(
      res,
      new Problem('unauthorized', 'Send Authorization: Bearer <JWT> with a valid, unexpired token').toResponse({
        'www-authenticate': 'Bearer',
      }),
    );
  }
  const event = toEvent(options.region, match.route, match.params, req, url, body, claims ?? undefined);
  send(res, await options.handlers[match.route.fn](event, lambdaContext(match.route.fn, event.requestContext.requestId)));
}

/** As S3 answers a presigned PUT: 200 stored, 403 for a bad or expired signature (XML bodies there, text here). */
async function receiveUpload(uploads: LocalAttachmentFiles, req: IncomingMessage, res: ServerResponse, url: URL, method: string) {
  if (method !== 'PUT') return sendText(res, 405, 'MethodNotAllowed');
  // S3 takes far more in one PUT; the size announced is checked when the file is attached.
  const body = await readBody(req, 2 * attachmentLimits.bytesPerFile);
  if (body === 'too large') return sendText(res, 413, 'EntityTooLarge');
  const { status, message } = await uploads.receiveUpload(url, req.headers['content-type'], body);
  sendText(res, status, message);
}

const sendText = (res: ServerResponse, status: number, text: string) =>
  send(res, { statusCode: status, headers: { 'content-type': 'text/plain' }, body: text });

function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const actual = got[i]!;
    if (segment.startsWith('{')) {
      if (!actual) return null;
      try {
        params[segment.slice(1, -1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (segment !== actual) return null;
  }
  return params;
}

async function authorize(secret: Uint8Array, header: string | undefined) {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  return token ? verifyToken(secret, token) : null;
}

async function readBody(req: IncomingMessage, maxBytes = gatewayMaxBytes): Promise<Buffer | 'too large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > maxBytes) return 'too large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const textTypes = /^(application\/([\w.-]+\+)?json|text\/|application\/(x-www-form-urlencoded|xml))/i;

function toEvent(
  region: string,
  route: ApiRoute,
  params: Record<string, string>,
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  claims: Record<string, unknown> | undefined,
): HttpEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const isText = textTypes.test(headers['content-type'] ?? '');
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: Object.keys(params).length ? params : undefined,
    body: body.byteLength ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.byteLength > 0 && !isText,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
  } as HttpEvent;
}

const lambdaContext = (name: string, requestId: string): Context =>
  ({
    functionName: `meridian-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:meridian-${name}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/meridian-${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 29_000,
  }) as Context;

function send(res: ServerResponse, result: HttpResult) {
  if (res.headersSent) return;
  const body = result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  res.writeHead(result.statusCode ?? 200, {
    ...(result.headers as Record<string, string>),
    ...(body ? { 'content-length': String(body.byteLength) } : {}),
  });
  res.end(body);
}
