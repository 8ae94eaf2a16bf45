import * as z from 'zod';

export const ulidPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export const ulidSchema = z.string().regex(ulidPattern, 'must be a ULID');

export const actorSchema = z.object({
  type: z.enum(['user', 'system']),
  id: z.string().min(1),
});

/** Every stored event: who, what, when, where and why, around a typed payload. */
export const envelopeSchema = z.object({
  eventId: ulidSchema,
  streamId: z.string().min(1),
  version: z.number().int().min(1),
  type: z.string().min(1),
  schemaVersion: z.number().int().min(1),
  occurredAt: z.iso.datetime(),
  recordedAt: z.iso.datetime(),
  region: z.string().min(1),
  tenantId: z.string().min(1),
  actor: actorSchema,
  correlationId: z.string().min(1),
  causationId: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
  /** The hash chain (events/hash-chain.ts): the previous version's hash, and this record's. */
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});

/** An event as it was stored, payload at whatever schemaVersion it was written with. */
export type StoredEvent = z.infer<typeof envelopeSchema>;

/** The envelope fields a writer supplies for a commit; version and ids are assigned per event. */
export type CommitMetadata = Pick<
  StoredEvent,
  'region' | 'tenantId' | 'actor' | 'correlationId' | 'causationId' | 'occurredAt' | 'recordedAt'
>;

export const ticketStreamId = (ticketId: string): string => `ticket#${ticketId}`;
/** Each auditor read is a stream of its own: no two reads contend for a version. */
export const auditorReadStreamId = (readId: string): string => `auditor-read#${readId}`;
