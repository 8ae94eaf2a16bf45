import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

/** The item a stream record inserted, or null for a modification, a removal or a record without its image. */
export function insertedImage(record: DynamoDBRecord): Record<string, AttributeValue> | null {
  const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  return record.eventName === 'INSERT' && image ? image : null;
}
