import type { BusEvent } from '../../../events/bus-events.ts';

export interface EventBus {
  /** Publishes up to 10 events; returns the indexes of those the bus did not take. */
  publish(events: BusEvent[]): Promise<number[]>;
}
