import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventBus } from '../ports/event-bus.ts';

export const maxEntriesPerPut = 10;

export function eventBridgeBus(client: Pick<EventBridgeClient, 'send'>, busName: string): EventBus {
  return {
    async publish(events) {
      const { Entries = [] } = await client.send(
        new PutEventsCommand({
          Entries: events.map((event) => ({
            EventBusName: busName,
            Source: event.source,
            DetailType: event.detailType,
            Detail: JSON.stringify(event.detail),
            Time: new Date(event.detail.occurredAt as string),
          })),
        }),
      );
      return Entries.flatMap((entry, i) => (entry.ErrorCode ? [i] : []));
    },
  };
}
