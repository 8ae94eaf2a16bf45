import { monotonicFactory } from 'ulid';
import type { UnchainedEvent } from '../../events/hash-chain.ts';

const newId = monotonicFactory();

/** A TagsSet event of tenant acme, for tests of the store and the log below the domain. */
export const tagsSetEvent = (
  streamId: string,
  version: number,
  data: Record<string, unknown> = { tags: [`v${version}`] },
): UnchainedEvent => ({
  eventId: newId(),
  streamId,
  version,
  type: 'TagsSet',
  schemaVersion: 1,
  occurredAt: '2026-11-24T10:00:00.000Z',
  recordedAt: '2026-11-24T10:00:00.000Z',
  region: 'eu-central-1',
  tenantId: 'acme',
  actor: { type: 'user', id: 'agent-1' },
  correlationId: 'c-1',
  causationId: 'r-1',
  data,
});
