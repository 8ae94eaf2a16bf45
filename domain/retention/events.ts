/** What happens to a tenant's retention policy (stream `retention-policy#<tenant>`). Null switches automatic erasure off. */
export type RetentionEvent = { type: 'RetentionPolicySet'; data: { eraseClosedTicketsAfterDays: number | null } };
