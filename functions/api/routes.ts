import { attachmentRoutes } from './routes/attachments.ts';
import { auditRoutes } from './routes/audit.ts';
import { channelRoutes } from './routes/channels.ts';
import { dsarRoutes } from './routes/dsar.ts';
import { integrationRoutes } from './routes/integrations.ts';
import { metaRoutes } from './routes/meta.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { requesterRoutes } from './routes/requesters.ts';
import { retentionRoutes } from './routes/retention.ts';
import { searchRoutes } from './routes/search.ts';
import { setupRoutes, simulationRoutes } from './routes/setup.ts';
import { ticketRoutes } from './routes/tickets.ts';

/**
 * Every HTTP route, once, each with its OpenAPI operation beside it (functions/api/routes/): the
 * CDK stack wires API Gateway from it, the local runtime routes by it, and the document is made
 * from it. `fn` is the folder under functions/api.
 */
export const apiRoutes = [
  ...metaRoutes,
  ...ticketRoutes,
  ...searchRoutes,
  ...attachmentRoutes,
  ...auditRoutes,
  ...dsarRoutes,
  ...retentionRoutes,
  ...metricsRoutes,
  ...requesterRoutes,
  ...channelRoutes,
  ...setupRoutes,
  ...simulationRoutes,
  ...integrationRoutes,
];

export type ApiRoute = (typeof apiRoutes)[number];
export type ApiFunctionName = ApiRoute['fn'];
export const apiFunctionNames = [...new Set(apiRoutes.map((route) => route.fn))] as ApiFunctionName[];
