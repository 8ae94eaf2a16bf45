import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { BusEvent } from '../../events/bus-events.ts';
import { type BusRuleName, type BusTargetName, busRules, busTargetRetries, type DeliveredEvent } from '../../events/bus-rules.ts';
import { matchesPattern } from '../../events/event-pattern.ts';
import type { EventBus } from '../../functions/shared/ports/event-bus.ts';

export type BusTarget = (event: DeliveredEvent) => Promise<void>;

export interface LocalBusOptions {
  region: string;
  targets: Partial<Record<BusTargetName, BusTarget>>;
  logger: Logger;
  /** Attempts per delivery before it goes to the dead letters (EventBridge retries, then its DLQ); the stack's retries by default. */
  maxAttempts?: number;
  capacity?: number;
}

/**
 * A region's bus in the local runtime: every published event is matched against the same rule
 * patterns the stack deploys, and delivered to each matching rule's target asynchronously, as
 * EventBridge does: retried with backoff, then kept in `deadLetters`. It also keeps what was
 * published (the latest `capacity`) for tests.
 */
export class LocalBus implements EventBus {
  readonly published: BusEvent[] = [];
  readonly deadLetters: Array<{ rule: BusRuleName; event: DeliveredEvent; errorName: string }> = [];
  private readonly disabled = new Set<BusRuleName>();
  private readonly deliveries = new Set<Promise<void>>();

  constructor(private readonly options: LocalBusOptions) {}

  async publish(events: BusEvent[]): Promise<number[]> {
    for (const event of events) {
      // What crosses the bus is what EventBridge would carry: JSON text.
      const copy = JSON.parse(JSON.stringify(event)) as BusEvent;
      this.published.push(copy);
      this.route(this.envelope(copy));
    }
    const capacity = this.options.capacity ?? 10_000;
    if (this.published.length > capacity) this.published.splice(0, this.published.length - capacity);
    return [];
  }

  /** As `DisableRule`/`EnableRule`: a disabled rule delivers nothing. */
  setRuleEnabled(rule: BusRuleName, enabled: boolean) {
    if (enabled) this.disabled.delete(rule);
    else this.disabled.add(rule);
  }

  /** Waits for the deliveries under way (the runtime's stop, and tests). */
  async drain() {
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
  }

  private envelope(event: BusEvent): DeliveredEvent {
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': event.detailType,
      source: event.source,
      account: '000000000000',
      time: String(event.detail.occurredAt ?? new Date().toISOString()).replace(/\.\d{3}Z$/, 'Z'),
      region: this.options.region,
      resources: [],
      detail: event.detail,
    };
  }

  private route(event: DeliveredEvent) {
    for (const [name, rule] of Object.entries(busRules) as Array<[BusRuleName, (typeof busRules)[BusRuleName]]>) {
      const target = this.options.targets[rule.target];
      if (!target || this.disabled.has(name) || !matchesPattern(rule.pattern, event)) continue;
      const delivery = this.deliver(name, target, event).finally(() => this.deliveries.delete(delivery));
      this.deliveries.add(delivery);
    }
  }

  private async deliver(rule: BusRuleName, target: BusTarget, event: DeliveredEvent) {
    const maxAttempts = this.options.maxAttempts ?? 1 + busTargetRetries;
    for (let attempt = 1; ; attempt++) {
      try {
        return await target(structuredClone(event));
      } catch (error) {
        const errorName = (error as Error).name;
        this.options.logger.error('bus target failed', { rule, attempt, errorName });
        if (attempt >= maxAttempts) {
          this.deadLetters.push({ rule, event, errorName });
          return;
        }
        // EventBridge backs off over hours; locally, over about 20 s: long enough to ride out a restart.
        await sleep(Math.min(5_000, 100 * 2 ** attempt));
      }
    }
  }
}
