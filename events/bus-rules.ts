import { busSource, dsarBusSource } from './bus-events.ts';
import type { EventPattern } from './event-pattern.ts';

/**
 * The rules on each region's bus, with the function each one targets. The stack deploys these
 * patterns as they are; the local bus matches them with `matchesPattern`. Nothing here crosses a
 * region: every rule lives on its own region's bus and targets that region's functions.
 */
/** How often a rule retries a delivery its target failed (within 24 h), before the dead-letter queue: the stack and the local bus alike. */
export const busTargetRetries = 8;

export const busRules = {
  /** A new data-subject request is fulfilled: access and export bundles, erasure, rectification. */
  DsarFulfilment: { target: 'dsar-fulfilment', pattern: { source: [dsarBusSource], 'detail-type': ['DsarRequested'] } },
  /** A new data-subject request gets its warning and escalation schedules. */
  DsarDeadlines: { target: 'dsar-deadlines', pattern: { source: [dsarBusSource], 'detail-type': ['DsarRequested'] } },
  /** Each new set of SLA due times gets a timer per target, and each automation plan a timer per automation. */
  SlaTimers: { target: 'sla-timers', pattern: { source: [busSource], 'detail-type': ['SlaTargetsSet', 'AutomationsPlanned'] } },
} as const satisfies Record<string, { target: string; pattern: EventPattern }>;

export type BusRuleName = keyof typeof busRules;
export type BusTargetName = (typeof busRules)[BusRuleName]['target'];

/** An event as EventBridge delivers it to a rule's target (the envelope patterns are matched against). */
export interface DeliveredEvent<Detail = Record<string, unknown>> {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Detail;
}
