import { decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../support/deps.ts';

/** Lists by creation time (retention, metrics) read a ticket's creation time from its id's time. */
describe('the ids a region mints', () => {
  it('carry the time of the clock its events record, not the machine time', async () => {
    const at = new Date('2031-03-01T12:00:00.000Z');
    const deps = await testDeps({ clock: () => at });
    const ids = [deps.newId(), deps.newId(), deps.newId()];
    expect(ids.map(decodeTime)).toEqual([at.getTime(), at.getTime(), at.getTime()]);
    expect([...ids].sort()).toEqual(ids);
  });
});
