import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AttachmentType } from '../../../domain/ticket/attachments.ts';
import type { UploadRecord, UploadRecords } from '../ports/attachments.ts';

const pk = (tenantId: string, attachmentId: string) => ({ pk: { S: `upload#${tenantId}#${attachmentId}` } });

/** How long after its token lapses an unattached upload's record is kept (TTL); an attached one stays. */
const graceSeconds = 24 * 3600;

/**
 * Uploads live in the idempotency table beside the request records: one-time claims that expire
 * unless used. `pk = upload#<tenant>#<attachmentId>`; a claim sets ticketId and drops the TTL.
 */
export function dynamoUploadRecords(client: DynamoDBClient, tableName: string): UploadRecords {
  return {
    async create(record) {
      const item: Record<string, AttributeValue> = {
        ...pk(record.tenantId, record.attachmentId),
        secretHash: { S: record.secretHash },
        filename: { S: record.filename },
        contentType: { S: record.contentType },
        size: { N: String(record.size) },
        uploadedBy: { S: record.uploadedBy },
        tokenExpiresAt: { S: record.expiresAt },
        expiresAt: { N: String(Math.ceil(Date.parse(record.expiresAt) / 1000) + graceSeconds) },
        ...(record.sha256 ? { sha256: { S: record.sha256 } } : {}),
      };
      await client.send(new PutItemCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    },

    async get(tenantId, attachmentId) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: pk(tenantId, attachmentId), ConsistentRead: true }),
      );
      if (!Item?.secretHash?.S) return null;
      return {
        tenantId,
        attachmentId,
        secretHash: Item.secretHash.S,
        filename: Item.filename!.S!,
        contentType: Item.contentType!.S! as AttachmentType,
        size: Number(Item.size!.N),
        sha256: Item.sha256?.S ?? null,
        uploadedBy: Item.uploadedBy!.S!,
        expiresAt: Item.tokenExpiresAt!.S!,
        ticketId: Item.ticketId?.S ?? null,
      } satisfies UploadRecord;
    },

    async stored(tenantId, attachmentId, { size, sha256 }) {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: pk(tenantId, attachmentId),
          UpdateExpression: 'SET #size = :size, sha256 = :sha256',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#size': 'size' },
          ExpressionAttributeValues: { ':size': { N: String(size) }, ':sha256': { S: sha256 } },
        }),
      );
    },

    async claim(tenantId, attachmentId, ticketId) {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: pk(tenantId, attachmentId),
            UpdateExpression: 'SET ticketId = :ticket REMOVE expiresAt',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(ticketId) OR ticketId = :ticket)',
            ExpressionAttributeValues: { ':ticket': { S: ticketId } },
          }),
        );
        return 'claimed';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'taken';
        throw error;
      }
    },
  };
}
