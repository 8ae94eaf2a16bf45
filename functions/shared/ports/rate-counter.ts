/** Who a request counts against: its tenant, and its token (the `sub` it was issued to) within the tenant. */
export interface RateKey {
  tenantId: string;
  token: string;
}

/** Requests counted in one window, shared by every function instance of the region. */
export interface RateCounter {
  /** Counts one request in the window that starts at `windowStart` (ms); the counts after it. */
  hit(key: RateKey, window: { start: number; end: number }): Promise<{ tenant: number; token: number }>;
}
