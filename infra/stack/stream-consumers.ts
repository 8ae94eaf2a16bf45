import type { EventBus } from 'aws-cdk-lib/aws-events';
import { FilterCriteria, FilterRule } from 'aws-cdk-lib/aws-lambda';
import { envNames } from '../../functions/shared/platform/config.ts';
import { functionAccess } from './access.ts';
import { allow, streamConsumer } from './functions.ts';
import type { Region } from './region.ts';

/**
 * The events table's three stream consumers: the projector (views), the publisher (bus) and the
 * sequencer (tenant logs); and the search indexer, on the tenant logs' commits.
 */
export function streamConsumers(region: Region, bus: EventBus) {
  streamConsumer(region, 'Projector', 'functions/projector/handler.ts', region.environment, (role) =>
    allow(region, role, functionAccess.Projector),
  );
  // The publisher gets no table and no key: it cannot read personal data even if it wanted to.
  streamConsumer(region, 'Publisher', 'functions/publisher/handler.ts', { [envNames.eventBusName]: bus.eventBusName }, (role) =>
    bus.grantPutEventsTo(role),
  );
  streamConsumer(region, 'Sequencer', 'functions/sequencer/handler.ts', region.environment, (role) =>
    allow(region, role, functionAccess.Sequencer),
  );
  // The search indexer follows the tenant logs (the audit table's stream): the events stream has three readers already.
  streamConsumer(
    region,
    'SearchIndexer',
    'functions/search-indexer/handler.ts',
    region.environment,
    (role) => allow(region, role, functionAccess.SearchIndexer),
    {
      table: 'audit',
      filters: [
        FilterCriteria.filter({
          eventName: FilterRule.isEqual('INSERT'),
          dynamodb: { NewImage: { pk: { S: FilterRule.beginsWith('log#') } } },
        }),
      ],
    },
  );
}
