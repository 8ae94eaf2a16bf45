import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';

export interface ConversationKey {
  tenantId: string;
  channel: string;
  subjectId: string;
}

/**
 * Which ticket a requester's messages on a channel go to: a pointer read and moved with strong
 * consistency, so two messages arriving at once cannot open two tickets (the queue projection
 * lags). Ids only: nothing personal is kept here.
 */
export interface Conversations {
  current(key: ConversationKey): Promise<string | null>;
  /** Points the conversation at `ticketId` if it still points at `previous`; false if another writer moved it. */
  move(key: ConversationKey, previous: string | null, ticketId: string): Promise<boolean>;
  /** Email: the ticket the first of these Message-IDs belongs to (its own, In-Reply-To, References). */
  threadOf(tenantId: string, messageIds: string[]): Promise<string | null>;
  rememberThread(tenantId: string, messageId: string, ticketId: string): Promise<void>;
}

const pkOf = ({ tenantId, channel, subjectId }: ConversationKey) => `conversation#${tenantId}#${channel}#${subjectId}`;
// A Message-ID names the sender's domain: only its hash is kept.
const threadPk = (tenantId: string, messageId: string) =>
  `email-thread#${tenantId}#${createHash('sha256').update(messageId).digest('hex')}`;

export function dynamoConversations(client: DynamoDBClient, tableName: string): Conversations {
  return {
    async current(key) {
      const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: pkOf(key) } }, ConsistentRead: true }));
      return Item?.ticketId?.S ?? null;
    },
    async threadOf(tenantId, messageIds) {
      for (const messageId of messageIds.slice(0, 20)) {
        const { Item } = await client.send(
          new GetItemCommand({ TableName: tableName, Key: { pk: { S: threadPk(tenantId, messageId) } }, ConsistentRead: true }),
        );
        if (Item?.ticketId?.S) return Item.ticketId.S;
      }
      return null;
    },
    async rememberThread(tenantId, messageId, ticketId) {
      await client.send(
        new PutItemCommand({ TableName: tableName, Item: { pk: { S: threadPk(tenantId, messageId) }, ticketId: { S: ticketId } } }),
      );
    },
    async move(key, previous, ticketId) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: { pk: { S: pkOf(key) }, ticketId: { S: ticketId } },
            ...(previous === null
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : { ConditionExpression: 'ticketId = :previous', ExpressionAttributeValues: { ':previous': { S: previous } } }),
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
}
