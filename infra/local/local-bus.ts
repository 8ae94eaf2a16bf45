import type { BusEvent } from '../../events/bus-events.ts';
import type { EventBus } from '../../functions/shared/event-bus.ts';

/** A region's bus in the local runtime: keeps what was published (the latest `capacity`) for rules and tests. */
export class LocalBus implements EventBus {
  readonly published: BusEvent[] = [];

  constructor(private readonly capacity = 10_000) {}

  async publish(events: BusEvent[]): Promise<number[]> {
    // What crosses the bus is what EventBridge would carry: JSON text.
    this.published.push(...events.map((event) => JSON.parse(JSON.stringify(event)) as BusEvent));
    if (this.published.length > this.capacity) this.published.splice(0, this.published.length - this.capacity);
    return [];
  }
}
