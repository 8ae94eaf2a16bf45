import * as z from 'zod';
import { homeRegionOf } from '../../../domain/residency.ts';
import { intakeChannels } from '../../../domain/setup/vocabulary.ts';
import { receive } from '../../shared/application/intake.ts';
import { openSealed } from '../../shared/application/personal-data.ts';
import { loadSetup } from '../../shared/application/support-setup.ts';
import { type Delivery, providers } from '../../shared/channels/channel-providers.ts';
import { type ApiResponse, publicHandler } from '../../shared/platform/http/api-handler.ts';
import { Problem } from '../../shared/platform/http/problem.ts';
import { wrongRegionProblem } from '../../shared/platform/http/problem-from-error.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import type { InboundMessage } from '../../shared/ports/inbound-message.ts';

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
    const delivery: Delivery = {
      raw: Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8'),
      headers: event.headers ?? {},
      now: deps.clock(),
    };
    if (!(await provider.verifies(delivery, secrets)))
      throw new Problem('unauthorized', "The provider's signature is missing or does not verify");
    const messages = await parseMessages(() => provider.messages(delivery));
    const residency = deps.config.tenantResidency[tenant] ?? {};
    const homeRegion = homeRegionOf(connection.country, residency);
    if (homeRegion !== deps.config.region) throw wrongRegionProblem(homeRegion, deps.config);
    const inbound = {
      tenantId: tenant,
      channel,
      country: connection.country,
      receiver: `intake-${channel}`,
      correlationId: event.requestContext.requestId,
      credentials: secrets as Record<string, unknown>,
    };
    for (const message of messages) await receive(deps, inbound, message);
    return { status: 200, body: { received: messages.length } };
  });

async function parseMessages(parse: () => InboundMessage[] | Promise<InboundMessage[]>): Promise<InboundMessage[]> {
  try {
    return await parse();
  } catch {
    throw new Problem('validation', 'The body is not a payload this channel sends', {
      errors: [{ path: '', location: 'body', message: 'unrecognised payload' }],
    });
  }
}
