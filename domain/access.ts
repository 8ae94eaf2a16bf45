/** Who may do what: one table, read by the API handlers and by the authorisation tests. */
export const roles = ['agent', 'supervisor', 'dpo', 'auditor', 'integrator'] as const;
export type Role = (typeof roles)[number];

export const permissions = {
  'tickets:write': ['agent', 'supervisor', 'integrator'],
  'tickets:read': ['agent', 'supervisor', 'integrator', 'dpo', 'auditor'],
  /** Reading requesters' names, contacts and message text in plain form. Auditors see it sealed, as stored. */
  'personal-data:read': ['agent', 'supervisor', 'integrator', 'dpo'],
  /** Point-in-time replay and the region's ordered event log (every auditor read is itself recorded). */
  'audit:read': ['auditor', 'dpo'],
  /** Filing and reading data-subject requests, and downloading their bundles. */
  'dsar:manage': ['dpo'],
  /** Setting how long closed tickets are kept, and previewing what a policy would erase. */
  'retention:manage': ['dpo'],
  'retention:read': ['dpo', 'auditor'],
  /** Calendars, teams, SLA policies and routing rules. */
  'setup:manage': ['supervisor'],
  'setup:read': ['agent', 'supervisor', 'integrator', 'dpo', 'auditor'],
  /** Support metrics: no personal data, counts and times only. */
  'metrics:read': ['supervisor', 'integrator', 'auditor'],
  /** The change feed: PII-free events in tenant log order, for the systems integrators connect. */
  'changes:read': ['integrator', 'supervisor'],
  /** Webhook subscriptions: their URLs, secrets, deliveries, retries and replays. */
  'webhooks:manage': ['integrator', 'supervisor'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof permissions;

export const mayPerform = (held: readonly Role[], permission: Permission): boolean =>
  held.some((role) => (permissions[permission] as readonly Role[]).includes(role));
