import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { HomeRegion } from '../../../../domain/residency.ts';
import type { SetupError } from '../../../../domain/setup/support-setup.ts';
import type { TicketError } from '../../../../domain/ticket/errors.ts';
import { AttachmentErased, AttachmentNotFound, FileRefused, TokenRefused } from '../../application/attachment-errors.ts';
import { IdempotencyKeyReused, StaleVersion, WriteContention } from '../../application/commands.ts';
import { DsarNotFound, DsarRefused } from '../../application/dsar-commands.ts';
import { SetupRefused } from '../../application/support-setup.ts';
import { TicketNotFound, TicketRefused } from '../../application/ticket-commands.ts';
import { OtherTicketNotFound } from '../../application/ticket-relations.ts';
import { WebhookRefused, WebhookUrlRefused } from '../../application/webhook-subscriptions.ts';
import type { Deps } from '../../ports/deps.ts';
import { InvalidCursorError } from '../../ports/views.ts';
import type { Config } from '../config.ts';
import { MetricUnit } from '../observability.ts';
import { Problem, validationProblem } from './problem.ts';

/** 421: nothing was written here; `endpoint` is where to send the request (null if that region is not deployed). */
export const wrongRegionProblem = (homeRegion: HomeRegion, config: Config) =>
  new Problem(
    'wrongRegion',
    `The requester's data lives in ${homeRegion}; this is ${config.region}. Send the request to that region's endpoint.`,
    { homeRegion, endpoint: config.regionEndpoints[homeRegion] ?? null },
  );

const refusalDetail: Record<TicketError['code'], string> = {
  ticket_not_found: 'No such ticket',
  ticket_already_exists: 'The ticket exists already',
  wrong_region: "The requester's data lives in another region",
  ticket_closed: 'The ticket is closed; closed is final',
  ticket_erased: "The ticket's data was erased; it takes no more changes",
  retention_not_due: 'The ticket is not closed, or not for as long as the retention period',
  not_solved: 'Surveys are answered once the ticket is solved',
  illegal_transition: 'The ticket cannot move between these statuses',
  assignee_required: 'A solved ticket needs an assignee',
  requester_internal_note: 'A requester cannot write an internal note: set public to true',
  ticket_merged: 'The ticket was merged into another; write to that one (mergedInto)',
  merge_into_itself: 'A ticket cannot be merged into itself',
  link_to_itself: 'A ticket cannot be linked to itself',
  too_many_links: 'The ticket has as many links as it may; remove one first',
  link_not_found: 'The tickets are not linked',
  invalid_fields: "Custom field values do not fit the tenant's ticket fields",
  macro_not_found: 'No such macro',
};

const dsarRefusalDetail: Record<DsarRefused['refusal']['code'], string> = {
  dsar_exists: 'The data-subject request exists already',
  dsar_not_found: 'No such data-subject request',
  corrections_required: 'A rectification needs at least one corrected field',
};

export function setupProblem(refusal: SetupError): Problem {
  switch (refusal.code) {
    case 'setup_item_not_found':
      return new Problem('notFound', 'No such item');
    case 'unknown_calendar':
      return validationProblem([{ path: '/calendarId', location: 'body', message: `no calendar ${refusal.calendarId}: put it first` }]);
    case 'unknown_team':
      return validationProblem([{ path: `/${refusal.field}`, location: 'body', message: `no team ${refusal.teamId}: put it first` }]);
    case 'escalates_to_itself':
      return validationProblem([{ path: '/escalatesTo', location: 'body', message: 'a team cannot escalate to itself' }]);
    case 'invalid_rule':
      return validationProblem(refusal.errors.map(({ path, message }) => ({ path, location: 'body' as const, message })));
    case 'automation_never_stops':
      return new Problem(
        'automationNeverStops',
        'An automation must change something that stops it from matching again (as in Zendesk): none of its actions makes one of ' +
          'its conditions in all (or every one in any) false, so it would fire at every check. Add an action such as add_tags x with ' +
          'the condition tags not_includes x, or set a status that a condition excludes.',
      );
  }
}

/** Every failure as the problem an integrator sees. Anything unknown is a 500 and is logged, without data. */
export function problemFromError(error: unknown, deps: Pick<Deps, 'logger' | 'config' | 'metrics'>): Problem {
  const { logger, config, metrics } = deps;
  if (error instanceof Problem) return error;
  if (error instanceof TicketNotFound) return new Problem('notFound', 'No such ticket');
  if (error instanceof DsarNotFound) return new Problem('notFound', 'No such data-subject request');
  if (error instanceof DsarRefused) return new Problem('conflict', dsarRefusalDetail[error.refusal.code], { code: error.refusal.code });
  if (error instanceof TicketRefused) {
    const { code, ...facts } = error.refusal;
    if (code === 'ticket_not_found' || code === 'link_not_found' || code === 'macro_not_found')
      return new Problem('notFound', refusalDetail[code]);
    if (code === 'wrong_region') return wrongRegionProblem(error.refusal.homeRegion, config);
    if (code === 'invalid_fields')
      return validationProblem(
        error.refusal.errors.map(({ field, message }) => ({ path: `/fields/${field}`, location: 'body' as const, message })),
      );
    if (code === 'merge_into_itself' || code === 'link_to_itself')
      return validationProblem([
        { path: code === 'link_to_itself' ? '/ticketId' : '/sourceIds', location: 'body', message: refusalDetail[code] },
      ]);
    return new Problem('conflict', refusalDetail[code], { code, ...facts });
  }
  if (error instanceof OtherTicketNotFound) {
    return validationProblem([{ path: error.pointer, location: 'body', message: 'no such ticket here (same tenant and region only)' }]);
  }
  if (error instanceof StaleVersion) {
    return new Problem('preconditionFailed', `If-Match does not match the current ETag "${error.currentVersion}"`);
  }
  if (error instanceof IdempotencyKeyReused) {
    return new Problem('idempotencyKeyReused', 'This Idempotency-Key was used with another request; use a new key');
  }
  if (error instanceof WriteContention) {
    return new Problem('conflict', error.message, { code: 'contention' });
  }
  if (error instanceof SetupRefused) return setupProblem(error.refusal);
  if (error instanceof WebhookRefused)
    return error.refusal.code === 'webhook_not_found'
      ? new Problem('notFound', 'No such webhook')
      : new Problem('conflict', `A tenant has at most ${error.refusal.limit} webhooks; delete one first`, { code: error.refusal.code });
  if (error instanceof WebhookUrlRefused) {
    const { rule, detail } = error.refusal;
    return new Problem('refusedUrl', detail, { rule, errors: [{ path: '/url', location: 'body', message: `${rule}: ${detail}` }] });
  }
  if (error instanceof FileRefused) return fileProblem(error);
  if (error instanceof TokenRefused) {
    return validationProblem([{ path: `/attachments/${error.index}`, location: 'body', message: error.message }]);
  }
  if (error instanceof AttachmentNotFound) return new Problem('notFound', error.message);
  if (error instanceof AttachmentErased) return new Problem('gone', error.message);
  if (error instanceof InvalidCursorError) {
    return new Problem('validation', error.message, { errors: [{ path: '/cursor', location: 'query', message: error.message }] });
  }
  if (isDependencyOutage(error)) {
    metrics.addMetric('DependencyUnavailable', MetricUnit.Count, 1);
    logger.warn('a dependency stayed throttled or unavailable through every retry', { errorName: (error as Error).name });
    return new Problem('unavailable', 'The service is busy or briefly unavailable; retry after a second, with the same Idempotency-Key');
  }
  metrics.addMetric('UnhandledErrors', MetricUnit.Count, 1);
  logger.error('unhandled error', {
    errorName: error instanceof Error ? error.name : typeof error,
    // Stack frames name code, never data; messages of foreign errors may quote data, so they stay out.
    stack: error instanceof Error ? error.stack?.split('\n').slice(1, 6).join('\n') : undefined,
  });
  return new Problem('internal', 'Something went wrong on our side; quote the x-correlation-id header to support');
}

/** Throttling, a dropped connection or a 5xx from AWS that outlasted the SDK's retries: the client's retry will do. */
function isDependencyOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const sdkError = error as Parameters<typeof isTransientError>[0];
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError);
}

/** A refused file names why: too large (413), a type not allowed or not the one declared (415), empty (400). */
function fileProblem({ reason, message, detected }: FileRefused): Problem {
  const facts = { reason, ...(detected ? { detected } : {}) };
  if (reason === 'too-large') return new Problem('payloadTooLarge', message, facts);
  if (reason === 'empty') return new Problem('validation', message, { ...facts, errors: [{ path: '', location: 'body', message }] });
  return new Problem('unsupportedMediaType', message, facts);
}
