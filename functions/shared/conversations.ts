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
}

const pkOf = ({ tenantId, channel, subjectId }: ConversationKey) => `conversation#${tenantId}#${channel}#${subjectId}`;

export function dynamoConversations(client: DynamoDBClient, tableName: string): Conversations {
  return {
    async current(key) {
      const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: pkOf(key) } }, ConsistentRead: true }));
      return Item?.ticketId?.S ?? null;
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
