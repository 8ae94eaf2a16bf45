import { homeRegionOf } from '../../../domain/residency.ts';
import { fieldErrors } from '../../../domain/ticket/fields.ts';
import { claimUploads, openingFiles } from '../../shared/application/attachments.ts';
import { recentSetup } from '../../shared/application/support-setup.ts';
import { commitTicket, TicketRefused } from '../../shared/application/ticket-commands.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import { wrongRegionProblem } from '../../shared/platform/http/problem-from-error.ts';
import { detectLanguage } from '../../shared/platform/language.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { commandContext } from '../command-context.ts';
import { idempotencyOf } from '../idempotency-key.ts';
import { replayedHeader, ticketResponse } from '../presenters.ts';
import { createTicketBody } from '../schemas/tickets.ts';

export const createTicket = (deps: Deps) =>
  apiHandler(deps, { permission: 'tickets:write', body: createTicketBody }, async (request) => {
    const { tenantId } = request.principal;
    const residency = deps.config.tenantResidency[tenantId] ?? {};
    // Before anything is written, the subject directory included: a wrong region stores nothing.
    const homeRegion = homeRegionOf(request.body.requester.country, residency);
    if (homeRegion !== deps.config.region) throw wrongRegionProblem(homeRegion, deps.config);
    // Field values too (the decision checks them again, against the same cached setup).
    const fieldRefusals = fieldErrors((await recentSetup(deps, tenantId)).ticketFields, request.body.fields, { opening: true });
    if (fieldRefusals.length > 0) throw new TicketRefused({ code: 'invalid_fields', errors: fieldRefusals });

    const subjectId = await deps.subjectKeys.resolve(tenantId, { kind: 'email', value: request.body.requester.email });
    // Their phone finds them too (WhatsApp messages from it), unless another requester has it.
    if (request.body.requester.phone)
      await deps.subjectKeys.link(tenantId, { kind: 'phone', value: request.body.requester.phone }, subjectId);
    const ticketId = deps.newId();
    const { attachments: tokens, ...opening } = request.body;
    const idempotency = idempotencyOf(request);
    // The opening was checked above (region, fields), so its uploads may be claimed; a replay claims nothing.
    const attachments = await claimUploads(deps, { tenantId, ticketId, tokens, idempotency });
    const { ticket, replayed } = await commitTicket(deps, {
      ticketId,
      commands: [
        {
          type: 'OpenTicket',
          ticketId,
          ...opening,
          requester: { subjectId, ...opening.requester },
          language: detectLanguage(`${opening.subject}\n${opening.description}`),
          requiredFieldsApply: true,
          region: deps.config.region,
          residency,
        },
        ...openingFiles(deps.newId(), subjectId, attachments),
      ],
      context: commandContext(request),
      idempotency,
    });
    return ticketResponse(201, ticket, { location: `/v1/tickets/${ticket.id}`, ...replayedHeader(replayed) });
  });
