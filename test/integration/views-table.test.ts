import { describe, expect, it } from 'vitest';
import { queueIndexes } from '../../functions/shared/dynamodb/tables.ts';
import { stillListed } from '../../functions/shared/dynamodb/views-table.ts';
import type { PageQuery } from '../../functions/shared/ports/views.ts';

/** The index lags the table; DynamoDB Local never lets it, so the re-check is tested on its own. */
describe('a listed view, checked again as the table holds it', () => {
  const query: PageQuery<unknown> = {
    index: queueIndexes.status,
    value: 'acme#closed',
    pkOf: (id) => `ticket#${id}`,
    idOf: () => '',
    filters: [
      { attribute: 'team', equals: 'billing' },
      { attribute: 'closedAt', atMost: '2026-11-01T00:00:00.000Z' },
      { attribute: 'erasedAt', absent: true },
    ],
    fingerprint: '',
    limit: 25,
  };
  const item = {
    pk: { S: 'ticket#1' },
    queueStatus: { S: 'acme#closed' },
    team: { S: 'billing' },
    closedAt: { S: '2026-10-01T00:00:00.000Z' },
  };

  it('stays when its key and every filter still hold', () => {
    expect(stillListed(item, query)).toBe(true);
    expect(stillListed({ ...item, closedAt: { S: '2026-11-01T00:00:00.000Z' } }, query)).toBe(true);
  });

  it('is left out when it has moved since the index was written', () => {
    expect(stillListed({ ...item, queueStatus: { S: 'acme#open' } }, query)).toBe(false);
    expect(stillListed({ ...item, team: { S: 'returns' } }, query)).toBe(false);
    expect(stillListed({ ...item, closedAt: { S: '2026-11-02T00:00:00.000Z' } }, query)).toBe(false);
    expect(stillListed({ ...item, erasedAt: { S: '2026-11-02T00:00:00.000Z' } }, query)).toBe(false);
    const { team: _, ...teamless } = item;
    expect(stillListed(teamless, query)).toBe(false);
  });
});
