import { serializeList } from 'structured-headers';
import type { RateCounter } from '../../ports/rate-counter.ts';
import type { RateLimits } from '../config.ts';
import type { Principal } from './principal.ts';

/** Windows are fixed minutes: every function instance counts into the same one. */
export const rateWindowMs = 60_000;

export interface RateVerdict {
  /** RateLimit-Policy and RateLimit (IETF httpapi draft, Structured Fields), and Retry-After when over. */
  headers: Record<string, string>;
  exceeded: boolean;
  retryAfterSeconds: number;
}

export const limitsFor = (limits: RateLimits, tenantId: string) => ({
  tenant: limits.tenants[tenantId]?.tenantPerMinute ?? limits.tenantPerMinute,
  token: limits.tenants[tenantId]?.tokenPerMinute ?? limits.tokenPerMinute,
});

const windowSeconds = rateWindowMs / 1000;

/** A field's list: one item per policy (tenant, token), each with its parameters. */
const perPolicy = (params: (policy: 'tenant' | 'token') => Array<[string, number]>) =>
  serializeList((['tenant', 'token'] as const).map((policy) => [policy, new Map(params(policy))]));

/** The policies as RateLimit-Policy states them: the same on every answer to this tenant. */
export const policyHeader = (quota: { tenant: number; token: number }): string =>
  perPolicy((policy) => [
    ['q', quota[policy]],
    ['w', windowSeconds],
  ]);

/**
 * Counts the request against its tenant's and its token's quota for this minute. Over either,
 * the request is refused (429) and was still counted, as every request in the window is.
 */
export async function countRequest(counter: RateCounter, limits: RateLimits, principal: Principal, now: Date): Promise<RateVerdict> {
  const quota = limitsFor(limits, principal.tenantId);
  const start = Math.floor(now.getTime() / rateWindowMs) * rateWindowMs;
  const end = start + rateWindowMs;
  const counts = await counter.hit({ tenantId: principal.tenantId, token: principal.sub }, { start, end });
  const resetSeconds = Math.max(1, Math.ceil((end - now.getTime()) / 1000));
  const remaining = { tenant: Math.max(0, quota.tenant - counts.tenant), token: Math.max(0, quota.token - counts.token) };
  const exceeded = counts.tenant > quota.tenant || counts.token > quota.token;
  const headers: Record<string, string> = {
    'ratelimit-policy': policyHeader(quota),
    ratelimit: perPolicy((policy) => [
      ['r', remaining[policy]],
      ['t', resetSeconds],
    ]),
  };
  if (exceeded) headers['retry-after'] = String(resetSeconds);
  return { headers, exceeded, retryAfterSeconds: resetSeconds };
}
