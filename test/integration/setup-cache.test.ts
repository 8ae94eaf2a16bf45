import { afterEach, describe, expect, it, vi } from 'vitest';
import { commitSetup, loadSetup, recentSetup, setupCacheMs } from '../../functions/shared/application/support-setup.ts';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import { composeOver, testDeps } from '../support/deps.ts';

const context = { tenantId: 'acme', actor: { type: 'user', id: 'supervisor-1' }, correlationId: 'c', causationId: 'c' } as const;
const putTeam = (deps: Deps, name: string) =>
  commitSetup(deps, { command: { type: 'PutTeam', team: { id: 'billing', name, calendarId: null, escalatesTo: [] } }, context });

describe('the support setup a ticket write decides with', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is at most setupCacheMs old, and a change made through the same composition applies at once', async () => {
    const deps = await testDeps();
    expect((await recentSetup(deps, 'acme')).version).toBe(0);
    await putTeam(deps, 'Billing');
    expect((await recentSetup(deps, 'acme')).teams.billing?.name).toBe('Billing');

    await putTeam(composeOver(deps.config), 'Billing and refunds');
    expect((await loadSetup(deps, 'acme')).teams.billing?.name).toBe('Billing and refunds');
    expect((await recentSetup(deps, 'acme')).teams.billing?.name).toBe('Billing');

    const now = performance.now();
    vi.spyOn(performance, 'now').mockReturnValue(now + setupCacheMs);
    expect((await recentSetup(deps, 'acme')).teams.billing?.name).toBe('Billing and refunds');
  });
});
