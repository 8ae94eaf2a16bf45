import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Attachment } from '../../../domain/ticket/attachments.ts';
import { attachmentLimits } from '../../../domain/ticket/attachments.ts';
import type { Channel, TicketPriority } from '../../../domain/ticket/vocabulary.ts';
import { detectLanguage } from '../platform/language.ts';
import { MediaUnavailable } from '../ports/channel-media.ts';
import type { Deps } from '../ports/deps.ts';
import type { InboundFile, InboundMessage } from '../ports/inbound-message.ts';
import { FileRefused } from './attachment-errors.ts';
import { keepReceived, openingFiles, storeReceivedFile } from './attachments.ts';
import { type CommandContext, isReplay } from './commands.ts';
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
  /** The connection's secrets: what fetches the media a message names (an access token, a bot token). */
  credentials?: Record<string, unknown>;
}

interface Receipt extends Inbound {
  message: InboundMessage;
  attachments: Attachment[];
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
export async function receive(deps: Deps, inbound: Inbound, delivered: InboundMessage): Promise<Outcome> {
  const hashOfId = createHash('sha256').update(`${inbound.channel}\n${delivered.externalId}`).digest('hex');
  // The provider's id, hashed: a Message-ID is no key to keep in plain text.
  const idempotency = { key: `intake:${inbound.channel}:${hashOfId}`, requestHash: hashOfId };
  // A redelivery replays the first commit: its files are neither fetched nor stored again.
  const files = delivered.files ?? [];
  const replay = files.length > 0 && (await isReplay(deps, inbound.tenantId, idempotency));
  const { attachments, notes } = replay ? { attachments: [], notes: [] } : await receiveFiles(deps, inbound, files);
  const message = notes.length > 0 ? { ...delivered, text: [delivered.text, ...notes].join('\n') } : delivered;
  const receipt: Receipt = {
    ...inbound,
    message,
    attachments,
    subjectId: await deps.subjectKeys.resolve(inbound.tenantId, message.contact),
    context: {
      tenantId: inbound.tenantId,
      actor: { type: 'system', id: inbound.receiver },
      correlationId: inbound.correlationId,
      causationId: `${inbound.channel}:${hashOfId.slice(0, 32)}`,
    },
    idempotency,
    language: delivered.language ?? detectLanguage(delivered.text),
  };
  const committed = inbound.channel === 'email' ? await receiveEmail(deps, receipt) : await receiveConversation(deps, receipt);
  if (committed.replayed || committed.events.length === 0) return 'unchanged';
  await keepReceived(deps, inbound.tenantId, committed.ticket.id, attachments);
  return committed.events.some((event) => event.type === 'TicketOpened') ? 'opened' : 'added';
}

/**
 * Each file that came with the message, stored; what could not be kept (not fetched, refused) is
 * named in a line of the message's text instead, so the agent knows something was sent.
 */
async function receiveFiles(deps: Deps, inbound: Inbound, files: InboundFile[]) {
  const attachments: Attachment[] = [];
  const notes: string[] = [];
  for (const [index, file] of files.slice(0, attachmentLimits.filesPerMessage).entries()) {
    const filename = file.filename ?? `attachment-${index + 1}`;
    try {
      const fetched = file.bytes ? { bytes: file.bytes, contentType: file.contentType } : await fetchMedia(deps, inbound, file);
      if (!fetched) {
        notes.push(`[${filename}: not fetched (the connection has no credential for the provider's media)]`);
        continue;
      }
      const declaredType = file.contentType ?? fetched.contentType ?? '';
      attachments.push(await storeReceivedFile(deps, inbound.tenantId, { filename, declaredType, bytes: fetched.bytes }));
    } catch (error) {
      if (!(error instanceof FileRefused || error instanceof MediaUnavailable)) throw error;
      notes.push(`[${filename}: not kept (${error instanceof FileRefused ? error.reason : 'the provider did not give it'})]`);
    }
  }
  if (files.length > attachmentLimits.filesPerMessage)
    notes.push(`[${files.length - attachmentLimits.filesPerMessage} more files not kept]`);
  return { attachments, notes };
}

const fetchMedia = (deps: Deps, inbound: Inbound, file: InboundFile) =>
  file.media ? deps.channelMedia.fetch(file.media, inbound.credentials ?? {}) : Promise.resolve(null);

const addTo = (deps: Deps, ticketId: string, { message, attachments, subjectId, context, idempotency, language }: Receipt) =>
  commitTicket(deps, {
    ticketId,
    commands: [
      {
        type: 'AddMessage',
        messageId: deps.newId(),
        from: 'requester',
        authorId: subjectId,
        body: message.text,
        public: true,
        language,
        attachments,
      },
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
      // The opening message's files, on a message of the requester's own (the description holds the text).
      ...openingFiles(deps.newId(), subjectId, receipt.attachments),
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
