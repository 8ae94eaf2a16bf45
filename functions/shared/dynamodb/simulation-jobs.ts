import { gunzipSync, gzipSync } from 'node:zlib';
import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { SimulationJob, SimulationJobs } from '../ports/simulation-jobs.ts';

const pk = (tenantId: string, simulationId: string) => ({ pk: { S: `simulation#${tenantId}#${simulationId}` } });

/** How long a job and its result are kept after it was asked for. */
export const simulationJobDays = 7;

/**
 * Simulation jobs live in the idempotency table beside the request records:
 * `pk = simulation#<tenant>#<id>`, the job gzipped (a result lists up to a few thousand tickets
 * and must stay under DynamoDB's 400 KB item), gone by TTL after `simulationJobDays`. They hold
 * ids, counts and times: no personal data.
 */
export function dynamoSimulationJobs(client: DynamoDBClient, tableName: string): SimulationJobs {
  return {
    async put(job) {
      const expiresAt = Math.ceil(Date.parse(job.requestedAt) / 1000) + simulationJobDays * 24 * 3600;
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            ...pk(job.tenantId, job.simulationId),
            job: { B: gzipSync(JSON.stringify(job)) },
            expiresAt: { N: String(expiresAt) },
          },
        }),
      );
    },

    async get(tenantId, simulationId) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: pk(tenantId, simulationId), ConsistentRead: true }),
      );
      if (!Item?.job?.B) return null;
      return JSON.parse(gunzipSync(Item.job.B).toString('utf8')) as SimulationJob;
    },
  };
}
