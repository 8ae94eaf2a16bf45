import type { TicketCommand } from '../ticket/commands.ts';
import type { Ticket } from '../ticket/state.ts';
import { customFieldKey, isCustomField, type MacroAction, type Message } from './rules.ts';

/** The `{{ticket.…}}` placeholders a note or reply may hold, as Zendesk writes them (spaces inside the braces allowed). */
export const placeholderNames = [
  'ticket.id',
  'ticket.subject',
  'ticket.status',
  'ticket.priority',
  'ticket.channel',
  'ticket.team',
  'ticket.assignee',
  'ticket.created_at',
  'ticket.requester.name',
  'ticket.requester.first_name',
  'ticket.requester.country',
] as const;
/** Any `{{…}}` in a text; each must name a placeholder above or `ticket.custom_fields.<key>`. */
export const placeholderPattern = /\{\{\s*([^{}]*?)\s*\}\}/g;
export const isPlaceholder = (name: string): boolean =>
  (placeholderNames as readonly string[]).includes(name) || /^ticket\.custom_fields\.[a-z][a-z0-9_]{0,63}$/.test(name);

function placeholderValue(name: string, ticket: Ticket): string {
  if (name.startsWith('ticket.custom_fields.')) {
    const value = ticket.fields[name.slice('ticket.custom_fields.'.length)];
    return value === undefined ? '' : [value].flat().join(', ');
  }
  const values: Record<string, string | null> = {
    'ticket.id': ticket.id,
    'ticket.subject': ticket.subject,
    'ticket.status': ticket.status,
    'ticket.priority': ticket.priority,
    'ticket.channel': ticket.channel,
    'ticket.team': ticket.team,
    'ticket.assignee': ticket.assignee,
    'ticket.created_at': ticket.createdAt,
    'ticket.requester.name': ticket.requester.name,
    'ticket.requester.first_name': ticket.requester.name?.trim().split(/\s+/)[0] ?? null,
    'ticket.requester.country': ticket.requester.country,
  };
  return values[name] ?? '';
}

/** The message in the requester's locale where a translation exists (exact tag, then its language), placeholders filled in. */
export function renderMessage(message: Message, ticket: Ticket): string {
  const locale = ticket.requester.locale?.toLowerCase();
  const language = locale?.split('-')[0] ?? ticket.language?.toLowerCase();
  const translations = Object.fromEntries(Object.entries(message.translations).map(([tag, text]) => [tag.toLowerCase(), text]));
  const text = (locale && translations[locale]) || (language && translations[language]) || message.body;
  return text.replace(placeholderPattern, (_, name: string) => placeholderValue(name, ticket));
}

/** Who a rule's messages are written as, and how its messages are told apart. */
export interface ActionAuthor {
  /** `trigger:<id>`, `automation:<id>`, `macro:<id>`. */
  cause: string;
  /** The agent applying a macro; a trigger or automation writes as itself. */
  authorId: string;
}

/** The ticket commands a rule's actions are, decided in order against the ticket as each leaves it. */
export function actionCommands(actions: readonly MacroAction[], ticket: Ticket, author: ActionAuthor): TicketCommand[] {
  return actions.map((action, i): TicketCommand => {
    const { field } = action;
    if (isCustomField(field)) return { type: 'SetFields', fields: { [customFieldKey(field)]: action.value as never } };
    switch (action.field) {
      case 'status':
        return { type: 'ChangeStatus', to: action.value };
      case 'priority':
        return { type: 'ChangePriority', to: action.value };
      case 'team':
        return { type: 'Assign', team: action.value };
      case 'assignee':
        return { type: 'Assign', assignee: action.value };
      case 'add_tags':
        return { type: 'AddTags', tags: action.value };
      case 'remove_tags':
        return { type: 'RemoveTags', tags: action.value };
      case 'set_tags':
        return { type: 'SetTags', tags: action.value };
      case 'notify_webhook':
        return { type: 'NotifyWebhook', webhookId: action.value };
      case 'sla_policy':
        return { type: 'ApplySlaPolicy', policyId: action.value };
      case 'internal_note':
      case 'public_reply':
        return {
          type: 'AddMessage',
          messageId: `${author.cause}@${ticket.version}.${i}`,
          from: 'agent',
          authorId: author.authorId,
          body: renderMessage(action.value, ticket),
          public: action.field === 'public_reply',
          language: null,
        };
    }
    throw new Error(`an action on ${field}`);
  });
}
