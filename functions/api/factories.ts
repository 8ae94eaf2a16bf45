import type { HttpHandler } from '../shared/platform/http/api-handler.ts';
import type { Deps } from '../shared/ports/deps.ts';
import { addMessage } from './add-message/add-message.ts';
import { attachments } from './attachments/attachments.ts';
import { auditEvents } from './audit-events/audit-events.ts';
import { auditProof } from './audit-proof/audit-proof.ts';
import { auditTicket } from './audit-ticket/audit-ticket.ts';
import { changes } from './changes/changes.ts';
import { createDsar } from './create-dsar/create-dsar.ts';
import { createTicket } from './create-ticket/create-ticket.ts';
import { dsarExport } from './dsar-export/dsar-export.ts';
import { dsarReceipt } from './dsar-receipt/dsar-receipt.ts';
import { getDsar } from './get-dsar/get-dsar.ts';
import { getRetentionPolicy } from './get-retention-policy/get-retention-policy.ts';
import { getTicket } from './get-ticket/get-ticket.ts';
import { health } from './health/health.ts';
import { importAppReviews } from './import-app-reviews/import-app-reviews.ts';
import { intake } from './intake/intake.ts';
import { linkContact } from './link-contact/link-contact.ts';
import { listDsars } from './list-dsars/list-dsars.ts';
import { listTickets } from './list-tickets/list-tickets.ts';
import { metrics } from './metrics/metrics.ts';
import { openApiDocument } from './openapi/document.ts';
import { openapi } from './openapi/openapi.ts';
import { patchTicket } from './patch-ticket/patch-ticket.ts';
import { putRetentionPolicy } from './put-retention-policy/put-retention-policy.ts';
import { rateTicket } from './rate-ticket/rate-ticket.ts';
import { requester } from './requester/requester.ts';
import { retentionDryRun } from './retention-dry-run/retention-dry-run.ts';
import type { ApiFunctionName } from './routes.ts';
import { search } from './search/search.ts';
import { supportSetup } from './support-setup/support-setup.ts';
import { ticketEvents } from './ticket-events/ticket-events.ts';
import { ticketMessages } from './ticket-messages/ticket-messages.ts';
import { ticketRelations } from './ticket-relations/ticket-relations.ts';
import { webhooks } from './webhooks/webhooks.ts';

/** Each API Lambda's handler, made from a composition: the local runtime builds one set per region. */
export const apiFactories: Record<ApiFunctionName, (deps: Deps) => HttpHandler> = {
  'create-ticket': createTicket,
  'get-ticket': getTicket,
  'add-message': addMessage,
  'patch-ticket': patchTicket,
  'list-tickets': listTickets,
  'ticket-events': ticketEvents,
  'ticket-messages': ticketMessages,
  'ticket-relations': ticketRelations,
  search,
  attachments,
  'audit-ticket': auditTicket,
  'audit-events': auditEvents,
  'audit-proof': auditProof,
  'create-dsar': createDsar,
  'list-dsars': listDsars,
  'get-dsar': getDsar,
  'dsar-export': dsarExport,
  'dsar-receipt': dsarReceipt,
  'get-retention-policy': getRetentionPolicy,
  'put-retention-policy': putRetentionPolicy,
  'retention-dry-run': retentionDryRun,
  'support-setup': supportSetup,
  intake,
  requester,
  'rate-ticket': rateTicket,
  metrics,
  changes,
  webhooks,
  'import-app-reviews': importAppReviews,
  'link-contact': linkContact,
  health: health,
  openapi: (deps) =>
    openapi(deps, () => JSON.stringify(openApiDocument({ region: deps.config.region, regionEndpoints: deps.config.regionEndpoints }))),
};
