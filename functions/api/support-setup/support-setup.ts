import type * as z from 'zod';
import type { SupportSetup } from '../../../domain/setup/support-setup.ts';
import type { ChannelConnection } from '../../../domain/setup/vocabulary.ts';
import { scheduleAutomationSweep } from '../../shared/application/automation-timers.ts';
import { openSealed } from '../../shared/application/personal-data.ts';
import { commitSetup, loadSetup } from '../../shared/application/support-setup.ts';
import { sealTenantSecret } from '../../shared/application/tenant-secrets.ts';
import { channelSecrets } from '../../shared/channels/channel-secrets.ts';
import { apiHandler, byRouteKey, type HttpHandler } from '../../shared/platform/http/api-handler.ts';
import { Problem, validationProblem } from '../../shared/platform/http/problem.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { commandContext } from '../command-context.ts';
import { channelBody, channelParams } from '../schemas/channels.ts';
import { setupIdParams, ticketFieldParams } from '../schemas/setup.ts';
import { kinds, type SetupKind } from './setup-kinds.ts';
import { simulationHandlers } from './simulations.ts';
import { checkWebhooksNamed } from './webhooks-named.ts';

/** By rank (or a rule's position), then id: the order they apply in. */
const ordered = (items: Record<string, { id: string; rank?: number; position?: number }>) =>
  Object.values(items).sort((a, b) => (a.rank ?? a.position ?? 0) - (b.rank ?? b.position ?? 0) || a.id.localeCompare(b.id));

/** An item as shown: ticket fields are named by key, not id. */
const shown = (kind: SetupKind<z.ZodType>, item: { id: string }) => {
  if (kind.param !== 'key') return item;
  const { id: _, ...field } = item;
  return field;
};

function handlersOf(deps: Deps, kind: SetupKind<z.ZodType>): Array<[string, HttpHandler]> {
  const param = kind.param ?? 'id';
  const item = `${kind.path}/{${param}}`;
  const params = kind.param === 'key' ? ticketFieldParams : setupIdParams;
  const idOf = (request: { params: Record<string, string> }) => request.params[param]!;
  const notFound = () => new Problem('notFound', 'No such item');
  const handlers: Array<[string, HttpHandler]> = [
    [
      `GET ${kind.path}`,
      apiHandler(deps, { permission: 'setup:read' }, async (request) => ({
        status: 200,
        body: { items: ordered(kind.items(await loadSetup(deps, request.principal.tenantId))).map((found) => shown(kind, found)) },
      })),
    ],
    [
      `GET ${item}`,
      apiHandler(deps, { permission: 'setup:read', params }, async (request) => {
        const found = kind.items(await loadSetup(deps, request.principal.tenantId))[idOf(request)];
        if (!found) throw notFound();
        return { status: 200, body: shown(kind, found) };
      }),
    ],
    [
      `PUT ${item}`,
      apiHandler(deps, { permission: 'setup:manage', params, body: kind.body }, async (request) => {
        const id = idOf(request);
        await checkWebhooksNamed(deps, request.principal.tenantId, request.body);
        const { before, setup } = await commitSetup(deps, { command: kind.put(id, request.body), context: commandContext(request) });
        await replan(deps, kind, before, setup);
        return {
          status: kind.items(before)[id] ? 200 : 201,
          body: shown(kind, kind.items(setup)[id]!),
          headers: { location: `${kind.path}/${id}` },
        };
      }),
    ],
  ];
  if (kind.remove) {
    const remove = kind.remove;
    handlers.push([
      `DELETE ${item}`,
      apiHandler(deps, { permission: 'setup:manage', params }, async (request) => {
        const { before, setup } = await commitSetup(deps, { command: remove(idOf(request)), context: commandContext(request) });
        await replan(deps, kind, before, setup);
        return { status: 204 };
      }),
    ]);
  }
  return handlers;
}

/** After a change to the tenant's automations, a sweep plans their timers on every ticket not closed. */
async function replan(deps: Deps, kind: SetupKind<z.ZodType>, before: SupportSetup, setup: SupportSetup) {
  if (kind.replans && setup.version !== before.version) await scheduleAutomationSweep(deps, setup.tenantId, setup.version);
}

/** A connection as it may be shown: which secrets are set, never their values. */
const shownConnection = (connection: ChannelConnection, secretNames: string[]) => ({
  channel: connection.channel,
  country: connection.country,
  secrets: secretNames,
});

/** The provider connections behind the intake webhooks; their secrets are sealed with the tenant's channel key. */
function channelHandlers(deps: Deps): Array<[string, HttpHandler]> {
  const secretNamesOf = async (tenantId: string, connection: ChannelConnection) =>
    Object.keys(JSON.parse((await openSealed(deps.subjectKeys, tenantId, connection.sealedSecrets)) ?? '{}') as object).sort();
  return [
    [
      'GET /v1/channels',
      apiHandler(deps, { permission: 'setup:read' }, async (request) => {
        const { tenantId } = request.principal;
        const connections = Object.values((await loadSetup(deps, tenantId)).channels);
        return {
          status: 200,
          body: { items: await Promise.all(connections.map(async (c) => shownConnection(c, await secretNamesOf(tenantId, c)))) },
        };
      }),
    ],
    [
      'GET /v1/channels/{channel}',
      apiHandler(deps, { permission: 'setup:read', params: channelParams }, async (request) => {
        const connection = (await loadSetup(deps, request.principal.tenantId)).channels[request.params.channel];
        if (!connection) throw new Problem('notFound', 'This channel is not connected');
        return { status: 200, body: shownConnection(connection, await secretNamesOf(request.principal.tenantId, connection)) };
      }),
    ],
    [
      'PUT /v1/channels/{channel}',
      apiHandler(deps, { permission: 'setup:manage', params: channelParams, body: channelBody }, async (request) => {
        const { channel } = request.params;
        const { tenantId } = request.principal;
        const secrets = channelSecrets[channel].safeParse(request.body.secrets);
        if (!secrets.success)
          throw validationProblem(
            secrets.error.issues.map((issue) => ({
              path: `/secrets${issue.path.map((p) => `/${String(p)}`).join('')}`,
              location: 'body' as const,
              message: issue.message,
            })),
          );
        const connection: ChannelConnection = {
          channel,
          country: request.body.country,
          sealedSecrets: await sealTenantSecret(deps.subjectKeys, tenantId, JSON.stringify(secrets.data)),
        };
        const { before } = await commitSetup(deps, { command: { type: 'ConnectChannel', connection }, context: commandContext(request) });
        return {
          status: before.channels[channel] ? 200 : 201,
          body: shownConnection(connection, Object.keys(secrets.data as object).sort()),
          headers: { location: `/v1/channels/${channel}` },
        };
      }),
    ],
  ];
}

/**
 * Calendars, teams, SLA policies, routing rules and channel connections (role supervisor to
 * change, any role to read): one function for all their routes, each change an event on the
 * tenant's setup stream.
 */
export const supportSetup = (deps: Deps): HttpHandler => {
  return byRouteKey(
    'setup',
    Object.fromEntries([...kinds.flatMap((kind) => handlersOf(deps, kind)), ...channelHandlers(deps), ...simulationHandlers(deps)]),
  );
};
