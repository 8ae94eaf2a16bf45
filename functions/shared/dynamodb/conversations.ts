import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { ConversationKey, Conversations } from '../ports/views.ts';

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
