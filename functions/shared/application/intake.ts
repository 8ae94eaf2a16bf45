import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Channel, TicketPriority } from '../../../domain/ticket/vocabulary.ts';
import { detectLanguage } from '../platform/language.ts';
import type { Deps } from '../ports/deps.ts';
import type { InboundMessage } from '../ports/inbound-message.ts';
import type { CommandContext } from './commands.ts';
import { type Committed, commitTicket, loadTicket, TicketNotFound } from './ticket-commands.ts';

/** Where an inbound message came from: its channel, and the country its requesters are taken to be in. */
export interface Inbound {
  tenantId: string;
  channel: Channel;
  country: string;
  /** Who is receiving: the intake webhook or an import, for the events' actor. */
  receiver: string;
  correlationId: string;
  /** For a new ticket: its tags and priority (an app review's rating, say). */
  tags?: string[];
  priority?: TicketPriority;
}

interface Receipt extends Inbound {
  message: InboundMessage;
  subjectId: string;
  context: CommandContext;
  idempotency: { key: string; requestHash: string };
  language: string | null;
}

export type Outcome = 'opened' | 'added' | 'unchanged';

/**
 * One inbound message onto its ticket: email by its thread, the others by the requester's
 * conversation on the channel. The provider's message id makes a redelivery change nothing.
 */
export async function receive(deps: Deps, inbound: Inbound, message: InboundMessage): Promise<Outcome> {
  const hashOfId = createHash('sha256').update(`${inbound.channel}\n${message.externalId}`).digest('hex');
  const receipt: Receipt = {
    ...inbound,
    message,
    subjectId: await deps.subjectKeys.resolve(inbound.tenantId, message.contact),
    context: {
      tenantId: inbound.tenantId,
      actor: { type: 'system', id: inbound.receiver },
      correlationId: inbound.correlationId,
      causationId: `${inbound.channel}:${hashOfId.slice(0, 32)}`,
    },
    // The provider's id, hashed: a Message-ID is no key to keep in plain text.
    idempotency: { key: `intake:${inbound.channel}:${hashOfId}`, requestHash: hashOfId },
    language: message.language ?? detectLanguage(message.text),
  };
  const committed = inbound.channel === 'email' ? await receiveEmail(deps, receipt) : await receiveConversation(deps, receipt);
  if (committed.replayed || committed.events.length === 0) return 'unchanged';
  return committed.events.some((event) => event.type === 'TicketOpened') ? 'opened' : 'added';
}

const addTo = (deps: Deps, ticketId: string, { message, subjectId, context, idempotency, language }: Receipt) =>
  commitTicket(deps, {
    ticketId,
    commands: [
      { type: 'AddMessage', messageId: deps.newId(), from: 'requester', authorId: subjectId, body: message.text, public: true, language },
    ],
    context,
    idempotency,
  });

function openFor(deps: Deps, ticketId: string, receipt: Receipt) {
  const { tenantId, channel, country, message, subjectId, context, idempotency, language } = receipt;
  const requester = {
    subjectId,
    email: message.contact.kind === 'email' ? message.contact.value : null,
    name: message.name,
    ...(message.contact.kind === 'phone' ? { phone: message.contact.value } : {}),
    country: message.country ?? country,
    ...(message.locale ? { locale: message.locale } : {}),
  };
  const subject = message.subject ?? (message.text.length > 80 ? `${message.text.slice(0, 79)}…` : message.text);
  return commitTicket(deps, {
    ticketId,
    commands: [
      {
        type: 'OpenTicket',
        ticketId,
        subject,
        description: message.text,
        channel,
        requester,
        priority: receipt.priority ?? 'normal',
        tags: receipt.tags ?? [],
        fields: {},
        requiredFieldsApply: false,
        language,
        region: deps.config.region,
        residency: deps.config.tenantResidency[tenantId] ?? {},
      },
    ],
    context,
    idempotency,
  });
}

/**
 * An email joins the ticket of the first Message-ID it names (its own, for a redelivery; In-Reply-To;
 * References, newest first) if that ticket is not closed; otherwise it opens a ticket.
 */
async function receiveEmail(deps: Deps, receipt: Receipt): Promise<Committed> {
  const [ownId = receipt.message.externalId, ...repliesTo] = receipt.message.threadIds ?? [];
  const threaded = await deps.conversations.threadOf(receipt.tenantId, [ownId, ...repliesTo]);
  const target = threaded !== null && (await isOpen(deps, threaded, receipt.tenantId)) === true ? threaded : null;
  const committed = target ? await addTo(deps, target, receipt) : await openFor(deps, deps.newId(), receipt);
  await deps.conversations.rememberThread(receipt.tenantId, ownId, committed.ticket.id);
  return committed;
}

/** A message goes to the requester's current ticket on the channel, or opens one if there is none open. */
async function receiveConversation(deps: Deps, receipt: Receipt): Promise<Committed> {
  const key = { tenantId: receipt.tenantId, channel: receipt.channel, subjectId: receipt.subjectId };
  for (let attempt = 0; attempt < 20; attempt++) {
    const current = await deps.conversations.current(key);
    if (current !== null) {
      const open = await isOpen(deps, current, receipt.tenantId);
      // Another delivery has just pointed the conversation here and is opening the ticket; if it
      // never does (it failed in between), a new ticket takes the conversation over.
      if (open === 'missing' && attempt < 5) {
        await sleep(25 * (attempt + 1));
        continue;
      }
      if (open === true) return addTo(deps, current, receipt);
    }
    const ticketId = deps.newId();
    if (!(await deps.conversations.move(key, current, ticketId))) continue;
    return openFor(deps, ticketId, receipt);
  }
  throw new Error('conversation kept moving');
}

/** Whether a requester message may still go to this ticket: closed (final) and erased tickets take none. */
async function isOpen(deps: Deps, ticketId: string, tenantId: string): Promise<boolean | 'missing'> {
  try {
    const { ticket } = await loadTicket(deps, ticketId, tenantId, { open: false });
    return ticket.status !== 'closed' && ticket.erasedAt === null;
  } catch (error) {
    if (error instanceof TicketNotFound) return 'missing';
    throw error;
  }
}
