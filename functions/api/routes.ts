/**
 * Every HTTP route, once: the CDK stack wires API Gateway from it, the local runtime routes by it,
 * and the OpenAPI test checks the document covers it. `fn` is the folder under functions/api.
 */
export const apiRoutes = [
  { method: 'GET', path: '/health', fn: 'health', auth: false },
  { method: 'GET', path: '/openapi.json', fn: 'openapi', auth: false },
  { method: 'GET', path: '/docs', fn: 'openapi', auth: false },
  { method: 'GET', path: '/docs/{asset}', fn: 'openapi', auth: false },
  { method: 'POST', path: '/v1/tickets', fn: 'create-ticket', auth: true },
  { method: 'GET', path: '/v1/tickets', fn: 'list-tickets', auth: true },
  { method: 'GET', path: '/v1/tickets/{id}', fn: 'get-ticket', auth: true },
  { method: 'PATCH', path: '/v1/tickets/{id}', fn: 'patch-ticket', auth: true },
  { method: 'POST', path: '/v1/tickets/{id}/messages', fn: 'add-message', auth: true },
  { method: 'GET', path: '/v1/tickets/{id}/messages', fn: 'ticket-messages', auth: true },
  { method: 'GET', path: '/v1/tickets/{id}/events', fn: 'ticket-events', auth: true },
  { method: 'GET', path: '/v1/audit/tickets/{id}', fn: 'audit-ticket', auth: true },
  { method: 'GET', path: '/v1/audit/events', fn: 'audit-events', auth: true },
  { method: 'POST', path: '/v1/dsar', fn: 'create-dsar', auth: true },
  { method: 'GET', path: '/v1/dsar', fn: 'list-dsars', auth: true },
  { method: 'GET', path: '/v1/dsar/{id}', fn: 'get-dsar', auth: true },
  { method: 'GET', path: '/v1/dsar/{id}/export', fn: 'dsar-export', auth: true },
  { method: 'GET', path: '/v1/retention-policy', fn: 'get-retention-policy', auth: true },
  { method: 'PUT', path: '/v1/retention-policy', fn: 'put-retention-policy', auth: true },
  { method: 'GET', path: '/v1/retention-policy/dry-run', fn: 'retention-dry-run', auth: true },
  { method: 'GET', path: '/v1/channels', fn: 'support-setup', auth: true },
  { method: 'GET', path: '/v1/channels/{channel}', fn: 'support-setup', auth: true },
  { method: 'PUT', path: '/v1/channels/{channel}', fn: 'support-setup', auth: true },
  { method: 'GET', path: '/intake/{tenant}/{channel}', fn: 'intake', auth: false },
  { method: 'POST', path: '/intake/{tenant}/{channel}', fn: 'intake', auth: false },
  { method: 'GET', path: '/v1/calendars', fn: 'support-setup', auth: true },
  { method: 'GET', path: '/v1/calendars/{id}', fn: 'support-setup', auth: true },
  { method: 'PUT', path: '/v1/calendars/{id}', fn: 'support-setup', auth: true },
  { method: 'GET', path: '/v1/teams', fn: 'support-setup', auth: true },
  { method: 'GET', path: '/v1/teams/{id}', fn: 'support-setup', auth: true },
  { method: 'PUT', path: '/v1/teams/{id}', fn: 'support-setup', auth: true },
  { method: 'GET', path: '/v1/sla-policies', fn: 'support-setup', auth: true },
  { method: 'GET', path: '/v1/sla-policies/{id}', fn: 'support-setup', auth: true },
  { method: 'PUT', path: '/v1/sla-policies/{id}', fn: 'support-setup', auth: true },
  { method: 'DELETE', path: '/v1/sla-policies/{id}', fn: 'support-setup', auth: true },
  { method: 'GET', path: '/v1/routing-rules', fn: 'support-setup', auth: true },
  { method: 'GET', path: '/v1/routing-rules/{id}', fn: 'support-setup', auth: true },
  { method: 'PUT', path: '/v1/routing-rules/{id}', fn: 'support-setup', auth: true },
  { method: 'DELETE', path: '/v1/routing-rules/{id}', fn: 'support-setup', auth: true },
] as const;

export type ApiRoute = (typeof apiRoutes)[number];
export type ApiFunctionName = ApiRoute['fn'];
export const apiFunctionNames = [...new Set(apiRoutes.map((route) => route.fn))] as ApiFunctionName[];
