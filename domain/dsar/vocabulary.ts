export const dsarTypes = ['access', 'export', 'erasure', 'rectification'] as const;
export type DsarType = (typeof dsarTypes)[number];
export const dsarStatuses = ['received', 'overdue', 'fulfilled'] as const;
export type DsarStatus = (typeof dsarStatuses)[number];
