import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { homeRegionOf } from '../../../domain/residency.ts';
import { type ChannelConnection, type IntakeChannel, intakeChannels } from '../../../domain/setup/support-setup.ts';
import type { Deps } from '../../shared/composition.ts';
import { type ApiResponse, type HttpEvent, publicHandler } from '../../shared/http/api-handler.ts';
import { Problem } from '../../shared/http/problem.ts';
import { wrongRegionProblem } from '../../shared/http/problem-from-error.ts';
import { detectLanguage } from '../../shared/language.ts';
import { openSealed } from '../../shared/personal-data/personal-data.ts';
import { loadSetup } from '../../shared/support-setup.ts';
import { type CommandContext, commitTicket, loadTicket, TicketNotFound } from '../../shared/ticket-commands.ts';
import { type InboundMessage, providers } from '../../shared/channel-providers.ts';

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
    const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    if (!provider.verifies(raw, event.headers ?? {}, secrets)) throw new Problem('unauthorized', "The provider's signature is missing or does not verify");
    const messages = parseMessages(raw, (body) => provider.messages(body));
    const residency = deps.config.tenantResidency[tenant] ?? {};
    const homeRegion = homeRegionOf(connection.country, residency);
    if (homeRegion !== deps.config.region) throw wrongRegionProblem(homeRegion, deps.config);
    for (const message of messages) await receive(deps, tenant, connection, message, event);
    return { status: 200, body: { received: messages.length } };
  });

function parseMessages(raw: Buffer, parse: (body: unknown) => InboundMessage[]): InboundMessage[] {
  try {
    return parse(JSON.parse(raw.toString('utf8')));
  } catch {
    throw new Problem('validation', 'The body is not a payload this channel sends', { errors: [{ path: '', location: 'body', message: 'unrecognised payload' }] });
  }
}

/** One message onto its requester's conversation: the current ticket, or a new one if there is none open. */
async function receive(deps: Deps, tenantId: string, connection: ChannelConnection, message: InboundMessage, event: HttpEvent) {
  const channel: IntakeChannel = connection.channel;
  const subjectId = await deps.subjectKeys.resolve(tenantId, message.contact);
  const context: CommandContext = { tenantId, actor: { type: 'system', id: `intake-${channel}` }, correlationId: event.requestContext.requestId, causationId: message.externalId };
  const idempotency = { key: `intake:${channel}:${message.externalId}`, requestHash: createHash('sha256').update(`${channel}\n${message.externalId}`).digest('hex') };
  const language = detectLanguage(message.text);
  const key = { tenantId, channel, subjectId };
  for (let attempt = 0; attempt < 20; attempt++) {
    const current = await deps.conversations.current(key);
    if (current !== null) {
      const open = await isOpen(deps, current, tenantId);
      // Another delivery has just pointed the conversation here and is opening the ticket; if it
      // never does (it failed in between), a new ticket takes the conversation over.
      if (open === 'missing' && attempt < 5) {
        await sleep(25 * (attempt + 1));
        continue;
      }
      if (open === true) {
        const command = { type: 'AddMessage', messageId: deps.newId(), from: 'requester', authorId: subjectId, body: message.text, public: true, language } as const;
        await commitTicket(deps, { ticketId: current, commands: [command], context, idempotency });
        return;
      }
    }
    const ticketId = deps.newId();
    if (!(await deps.conversations.move(key, current, ticketId))) continue;
    const requester = {
      subjectId,
      email: message.contact.kind === 'email' ? message.contact.value : null,
      name: message.name,
      ...(message.contact.kind === 'phone' ? { phone: message.contact.value } : {}),
      country: connection.country,
      ...(message.locale ? { locale: message.locale } : {}),
    };
    const subject = message.text.length > 80 ? `${message.text.slice(0, 79)}…` : message.text;
    await commitTicket(deps, {
      ticketId,
      commands: [{ type: 'OpenTicket', ticketId, subject, description: message.text, channel, requester, priority: 'normal', tags: [], language, region: deps.config.region, residency: deps.config.tenantResidency[tenantId] ?? {} }],
      context,
      idempotency,
    });
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
