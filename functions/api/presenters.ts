import { mayPerform } from '../../domain/access.ts';
import type { TicketEventOf } from '../../domain/ticket/events.ts';
import type { Ticket } from '../../domain/ticket/state.ts';
import type { StoredEvent } from '../../events/envelope.ts';
import { ticketEventSchemas } from '../../events/ticket-events.ts';
import { upcast } from '../../events/upcasters.ts';
import type { ApiResponse } from '../shared/platform/http/api-handler.ts';
import { etagOf } from '../shared/platform/http/etag.ts';
import type { Principal } from '../shared/platform/http/principal.ts';

export const ticketResponse = (status: number, ticket: Ticket, headers: Record<string, string> = {}): ApiResponse => ({
  status,
  body: ticket,
  headers: { etag: etagOf(ticket.version), ...headers },
});

export const replayedHeader = (replayed: boolean): Record<string, string> => (replayed ? { 'idempotent-replayed': 'true' } : {});

/** Events as read: payloads at their current schema version. */
export const eventView = (event: StoredEvent) => {
  const current = upcast(event);
  return { ...event, schemaVersion: ticketEventSchemas[current.type].schemaVersion, data: current.data };
};

export const messageViews = (ticketId: string, events: StoredEvent[]) =>
  events.flatMap((event) => {
    const current = upcast(event);
    if (current.type !== 'MessageAdded') return [];
    const data: TicketEventOf<'MessageAdded'>['data'] = current.data;
    return [
      {
        id: data.messageId,
        ticketId,
        from: data.from,
        authorId: data.authorId,
        body: data.body,
        public: data.public,
        language: data.language,
        direction: data.direction,
        attachments: data.attachments.map(({ id, filename, contentType, size, sha256 }) => ({
          id,
          filename,
          contentType,
          size,
          sha256,
          url: `/v1/attachments/${id}`,
        })),
        createdAt: event.occurredAt,
      },
    ];
  });

export const mayReadPersonalData = (principal: Principal) => mayPerform(principal.roles, 'personal-data:read');
