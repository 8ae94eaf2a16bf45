import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { ianaTimeZones } from '../../../domain/calendar/time-zone.ts';
import { apiRoutes } from '../routes.ts';
import { rateLimitHeaders, throttled, tooManyRequests } from './operation.ts';

/** Every answer to a request with a token states the rate limits; over them, 429. */
const withRateLimits = (responses: RouteConfig['responses']): RouteConfig['responses'] => ({
  ...Object.fromEntries(
    Object.entries(responses).map(([status, response]) => [
      status,
      { ...response, headers: { ...(response as { headers?: object }).headers, ...rateLimitHeaders } },
    ]),
  ),
  429: tooManyRequests,
});

const tags = [
  { name: 'Tickets', description: 'Open, read, change and answer tickets' },
  { name: 'Requesters', description: 'One data subject across every channel' },
  { name: 'Channels', description: 'Provider connections and app-store imports' },
  { name: 'Intake', description: "Providers' webhooks (verified by each provider's own signature scheme)" },
  { name: 'Support setup', description: 'Calendars, teams, SLA policies, routing rules and ticket fields' },
  { name: 'Automation', description: 'Triggers, time-based automations and macros, in Zendesk’s shape' },
  { name: 'Data subject requests', description: 'GDPR, CCPA and PIPL access, export, erasure and rectification' },
  { name: 'Retention', description: 'How long closed tickets are kept' },
  { name: 'Audit', description: 'Replay and export the event history with its hash chain' },
  { name: 'Metrics', description: 'Support metrics per period, team, channel, country and day' },
  { name: 'Integrations', description: 'The change feed and webhook subscriptions' },
  { name: 'Meta', description: 'Health and this document' },
];

export interface DocumentOptions {
  /** This region, listed first among the servers. */
  region?: string;
  /** The API endpoint of each deployed region. */
  regionEndpoints?: Partial<Record<string, string>>;
}

export function openApiDocument(options: DocumentOptions = {}) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const route of apiRoutes) {
    for (const { path, operation } of route.documents) {
      registry.registerPath({
        method: route.method.toLowerCase() as RouteConfig['method'],
        path,
        security: route.auth ? [{ bearer: [] }] : [],
        ...operation,
        responses: route.auth ? withRateLimits(operation.responses) : { ...operation.responses, 429: throttled },
        ...(operation.request?.body ? { request: { ...operation.request, body: { ...operation.request.body, required: true } } } : {}),
      });
    }
  }
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Meridian',
      version: '1',
      description:
        'Event-sourced customer-support ticketing. One endpoint per region; errors are RFC 9457 problem+json. ' +
        'Where a request can match its schemas and still be refused with 400 (fields that constrain each other, a ' +
        'reference to an item that does not exist, a cursor this API did not give), the operation lists each case in ' +
        '`x-refusals`: the request part, the JSON Pointer the 400 names, and when. Every answer to a request with a token ' +
        'carries RateLimit-Policy and RateLimit (IETF httpapi draft): a quota per tenant and one per token, per minute.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: serversOf(options),
    tags,
  });
  return listTimeZones(closeTuples(document));
}

/** The TimeZone component's enum, added when the document is made rather than when every handler loads its schemas. */
function listTimeZones<T extends { components?: { schemas?: Record<string, object> } }>(document: T): T {
  const timeZone = document.components?.schemas?.TimeZone;
  if (!timeZone) throw new Error('the document has no TimeZone schema to list the zones in');
  Object.assign(timeZone, { enum: [...ianaTimeZones()] });
  return document;
}

function serversOf({ region, regionEndpoints = {} }: DocumentOptions) {
  const entries = Object.entries(regionEndpoints).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const ordered = [...entries.filter(([name]) => name === region), ...entries.filter(([name]) => name !== region)];
  const servers = ordered.map(([name, url]) => ({ url, description: name === region ? `${name} (this endpoint)` : name }));
  return servers.length > 0 ? servers : [{ url: '/', description: 'This endpoint' }];
}

/** A zod tuple takes exactly its items; the generator writes prefixItems only, so the lengths are added here. */
function closeTuples<T>(node: T): T {
  if (Array.isArray(node)) node.forEach(closeTuples);
  else if (node && typeof node === 'object') {
    const schema = node as Record<string, unknown>;
    if (Array.isArray(schema.prefixItems) && schema.items === undefined) {
      schema.minItems ??= schema.prefixItems.length;
      schema.maxItems ??= schema.prefixItems.length;
    }
    Object.values(schema).forEach(closeTuples);
  }
  return node;
}
