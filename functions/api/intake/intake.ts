import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { homeRegionOf } from '../../../domain/residency.ts';
import { type ChannelConnection, intakeChannels } from '../../../domain/setup/support-setup.ts';
import type { Deps } from '../../shared/composition.ts';
import { type ApiResponse, type HttpEvent, publicHandler } from '../../shared/http/api-handler.ts';
import { Problem } from '../../shared/http/problem.ts';
import { wrongRegionProblem } from '../../shared/http/problem-from-error.ts';
import { detectLanguage } from '../../shared/language.ts';
import { openSealed } from '../../shared/personal-data/personal-data.ts';
import { loadSetup } from '../../shared/support-setup.ts';
import { type CommandContext, commitTicket, loadTicket, TicketNotFound } from '../../shared/ticket-commands.ts';
import { type Delivery, type InboundMessage, providers } from '../../shared/channel-providers.ts';

const pathSchema = z.object({ tenant: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), channel: z.enum(intakeChannels) });

/**
 * The webhooks providers call (`/intake/{tenant}/{channel}`): no bearer token, the provider's own
 * signature instead. A forged or missing signature is 401 before anything is read or written. Each
 * message goes to the requester's ticket on that channel, or opens one; a redelivered message id
 * changes nothing.
 */
export const intake = (deps: Deps) =>
  publicHandler(deps, async (event): Promise<ApiResponse> => {
    const path = pathSchema.safeParse(event.pathParameters ?? {});
    if (!path.success) throw new Problem('notFound', 'No such intake endpoint');
    const { tenant, channel } = path.data;
    const connection = (await loadSetup(deps, tenant)).channels[channel];
    const provider = providers[channel];
    if (!connection || !provider) throw new Problem('notFound', 'No such intake endpoint');
    const secrets = provider.secrets.parse(JSON.parse((await openSealed(deps.subjectKeys, tenant, connection.sealedSecrets)) ?? 'null'));

    if (event.requestContext.http.method === 'GET') {
      const challenge = provider.handshake?.(event.queryStringParameters ?? {}, secrets) ?? null;
      if (challenge === null) throw new Problem('forbidden', 'The verify token does not match');
      return { status: 200, body: challenge, headers: { 'content-type': 'text/plain' } };
    }
    const delivery: Delivery = { raw: Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8'), headers: event.headers ?? {}, now: deps.clock() };
    if (!(await provider.verifies(delivery, secrets))) throw new Problem('unauthorized', "The provider's signature is missing or does not verify");
    const messages = await parseMessages(() => provider.messages(delivery));
    const residency = deps.config.tenantResidency[tenant] ?? {};
    const homeRegion = homeRegionOf(connection.country, residency);
    if (homeRegion !== deps.config.region) throw wrongRegionProblem(homeRegion, deps.config);
    for (const message of messages) await receive(deps, tenant, connection, message, event);
    return { status: 200, body: { received: messages.length } };
  });

async function parseMessages(parse: () => InboundMessage[] | Promise<InboundMessage[]>): Promise<InboundMessage[]> {
  try {
    return await parse();
  } catch {
    throw new Problem('validation', 'The body is not a payload this channel sends', { errors: [{ path: '', location: 'body', message: 'unrecognised payload' }] });
  }
}

interface Receipt {
  tenantId: string;
  connection: ChannelConnection;
  message: InboundMessage;
  subjectId: string;
  context: CommandContext;
  idempotency: { key: string; requestHash: string };
  language: string | null;
}

/** One message onto its ticket: email by its thread, the messengers by the requester's conversation. */
async function receive(deps: Deps, tenantId: string, connection: ChannelConnection, message: InboundMessage, event: HttpEvent) {
  const { channel } = connection;
  const hashOfId = createHash('sha256').update(`${channel}\n${message.externalId}`).digest('hex');
  const receipt: Receipt = {
    tenantId,
    connection,
    message,
    subjectId: await deps.subjectKeys.resolve(tenantId, message.contact),
    context: { tenantId, actor: { type: 'system', id: `intake-${channel}` }, correlationId: event.requestContext.requestId, causationId: `${channel}:${hashOfId.slice(0, 32)}` },
    // The provider's id, hashed: a Message-ID is no key to keep in plain text.
    idempotency: { key: `intake:${channel}:${hashOfId}`, requestHash: hashOfId },
    language: detectLanguage(message.text),
  };
  return channel === 'email' ? receiveEmail(deps, receipt) : receiveChat(deps, receipt);
}

const addTo = (deps: Deps, ticketId: string, { message, subjectId, context, idempotency, language }: Receipt) =>
  commitTicket(deps, { ticketId, commands: [{ type: 'AddMessage', messageId: deps.newId(), from: 'requester', authorId: subjectId, body: message.text, public: true, language }], context, idempotency });

function openFor(deps: Deps, ticketId: string, { tenantId, connection, message, subjectId, context, idempotency, language }: Receipt) {
  const requester = {
    subjectId,
    email: message.contact.kind === 'email' ? message.contact.value : null,
    name: message.name,
    ...(message.contact.kind === 'phone' ? { phone: message.contact.value } : {}),
    country: connection.country,
    ...(message.locale ? { locale: message.locale } : {}),
  };
  const subject = message.subject ?? (message.text.length > 80 ? `${message.text.slice(0, 79)}…` : message.text);
  return commitTicket(deps, {
    ticketId,
    commands: [{ type: 'OpenTicket', ticketId, subject, description: message.text, channel: connection.channel, requester, priority: 'normal', tags: [], language, region: deps.config.region, residency: deps.config.tenantResidency[tenantId] ?? {} }],
    context,
    idempotency,
  });
}

/**
 * An email joins the ticket of the first Message-ID it names (its own, for a redelivery; In-Reply-To;
 * References, newest first) if that ticket is not closed; otherwise it opens a ticket.
 */
async function receiveEmail(deps: Deps, receipt: Receipt) {
  const [ownId = receipt.message.externalId, ...repliesTo] = receipt.message.threadIds ?? [];
  const threaded = await deps.conversations.threadOf(receipt.tenantId, [ownId, ...repliesTo]);
  const target = threaded !== null && (await isOpen(deps, threaded, receipt.tenantId)) === true ? threaded : null;
  const { ticket } = target ? await addTo(deps, target, receipt) : await openFor(deps, deps.newId(), receipt);
  await deps.conversations.rememberThread(receipt.tenantId, ownId, ticket.id);
}

/** A messenger message goes to the requester's current ticket on the channel, or opens one if there is none open. */
async function receiveChat(deps: Deps, receipt: Receipt) {
  const key = { tenantId: receipt.tenantId, channel: receipt.connection.channel, subjectId: receipt.subjectId };
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
      if (open === true) {
        await addTo(deps, current, receipt);
        return;
      }
    }
    const ticketId = deps.newId();
    if (!(await deps.conversations.move(key, current, ticketId))) continue;
    await openFor(deps, ticketId, receipt);
    return;
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
