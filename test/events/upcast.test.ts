import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../events/envelope.ts';
import { UnknownEventError } from '../../events/event-form.ts';
import { upcast } from '../../events/upcasters.ts';

const stored = (type: string, schemaVersion: number, data: Record<string, unknown>): StoredEvent => ({
  eventId: '01JDZ00000000000000000MSG1',
  streamId: 'ticket#01JDZ0000000000000000000AA',
  version: 2,
  type,
  schemaVersion,
  occurredAt: '2024-03-01T08:00:00.000Z',
  recordedAt: '2024-03-01T08:00:00.000Z',
  region: 'eu-central-1',
  tenantId: 'acme',
  actor: { type: 'user', id: 'agent-9' },
  correlationId: 'c',
  causationId: 'r',
  data,
  prevHash: '0'.repeat(64),
  hash: 'f'.repeat(64),
});

describe('upcasting on read', () => {
  it('lifts MessageAdded v1 (no ids) to v4: the message is named by its event, the author by the actor; language unknown, no files', () => {
    expect(upcast(stored('MessageAdded', 1, { from: 'agent', body: 'Hallo', public: true }))).toEqual({
      type: 'MessageAdded',
      data: {
        messageId: '01JDZ00000000000000000MSG1',
        authorId: 'agent-9',
        from: 'agent',
        body: 'Hallo',
        public: true,
        language: null,
        direction: 'ltr',
        attachments: [],
      },
    });
  });

  it('lifts TicketOpened v1 to v3: its home region is where it was stored, it has no data subject, no known language', () => {
    const v1 = {
      ticketId: '01JDZ0000000000000000000AA',
      subject: 's',
      description: 'd',
      channel: 'email',
      priority: 'normal',
      tags: [],
      requester: { email: 'anna@example.de', name: 'Anna', country: 'DE' },
    };
    expect(upcast(stored('TicketOpened', 1, v1))).toEqual({
      type: 'TicketOpened',
      data: { ...v1, requester: { subjectId: null, ...v1.requester }, homeRegion: 'eu-central-1', language: null, direction: 'ltr' },
    });
  });

  it('reads a current event as it is, and lifts a message from before attachments to one without files', () => {
    const attachments = [{ id: 'f', filename: 'a.png', contentType: 'image/png', size: 3, sha256: 'a'.repeat(64) }];
    const data = {
      messageId: 'm',
      authorId: 'a',
      from: 'requester',
      body: 'x',
      public: true,
      language: 'ar',
      direction: 'rtl',
      attachments,
    };
    expect(upcast(stored('MessageAdded', 4, data))).toEqual({ type: 'MessageAdded', data });
    const { attachments: _files, ...v3 } = data;
    expect(upcast(stored('MessageAdded', 3, v3))).toEqual({ type: 'MessageAdded', data: { ...v3, attachments: [] } });
    const { language: _, direction: __, ...v2 } = v3;
    expect(upcast(stored('MessageAdded', 2, v2))).toEqual({
      type: 'MessageAdded',
      data: { ...v2, language: null, direction: 'ltr', attachments: [] },
    });
  });

  it('refuses an unknown type, a version from the future, and a payload that breaks its schema', () => {
    expect(() => upcast(stored('TicketTeleported', 1, {}))).toThrow(UnknownEventError);
    expect(() => upcast(stored('TagsSet', 7, { tags: [] }))).toThrow(UnknownEventError);
    expect(() => upcast(stored('TagsSet', 1, { tags: 'not-a-list' }))).toThrow();
  });
});
