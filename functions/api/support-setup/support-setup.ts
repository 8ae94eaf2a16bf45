import type * as z from 'zod';
import type { SetupCommand, SupportSetup } from '../../../domain/setup/support-setup.ts';
import type { ChannelConnection } from '../../../domain/setup/vocabulary.ts';
import { scheduleAutomationSweep } from '../../shared/application/automation-timers.ts';
import { openSealed } from '../../shared/application/personal-data.ts';
import { commitSetup, loadSetup } from '../../shared/application/support-setup.ts';
import { sealTenantSecret } from '../../shared/application/tenant-secrets.ts';
import { loadWebhooks } from '../../shared/application/webhook-subscriptions.ts';
import { channelSecrets } from '../../shared/channels/channel-secrets.ts';
import { apiHandler, byRouteKey, type HttpHandler } from '../../shared/platform/http/api-handler.ts';
import { Problem, validationProblem } from '../../shared/platform/http/problem.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { commandContext } from '../command-context.ts';
import { channelBody, channelParams } from '../schemas/channels.ts';
import {
  automationBody,
  calendarBody,
  macroBody,
  routingRuleBody,
  setupIdParams,
  slaPolicyBody,
  teamBody,
  ticketFieldBody,
  ticketFieldParams,
  triggerBody,
} from '../schemas/setup.ts';

interface SetupKind<B extends z.ZodType> {
  path: string;
  /** The path parameter naming one item: id, or key for ticket fields. */
  param?: 'key';
  body: B;
  items: (setup: SupportSetup) => Record<string, { id: string; rank?: number; position?: number }>;
  put: (id: string, body: z.infer<B>) => SetupCommand;
  remove?: (id: string) => SetupCommand;
  /** A change plans the tenant's open tickets again (automations: their timers). */
  replans?: boolean;
}

/** The kinds of setup item: each PUT by id (create or replace), read one or all, some deleted. */
const kinds = [
  {
    path: '/v1/calendars',
    body: calendarBody,
    items: (setup) => setup.calendars,
    put: (id, { name, timeZone, hours, holidays, specialHours }) => ({
      type: 'PutCalendar',
      calendar: { id, name: name ?? id, timeZone, hours, holidays, specialHours },
    }),
  } satisfies SetupKind<typeof calendarBody>,
  {
    path: '/v1/teams',
    body: teamBody,
    items: (setup) => setup.teams,
    put: (id, { name, calendarId, escalatesTo }) => ({ type: 'PutTeam', team: { id, name, calendarId, escalatesTo } }),
  } satisfies SetupKind<typeof teamBody>,
  {
    path: '/v1/sla-policies',
    body: slaPolicyBody,
    items: (setup) => setup.slaPolicies,
    put: (id, { name, rank, match, targets, businessHours, onBreach }) => ({
      type: 'PutSlaPolicy',
      policy: { id, name: name ?? id, rank, match, targets, businessHours, onBreach },
    }),
    remove: (id) => ({ type: 'DeleteSlaPolicy', id }),
  } satisfies SetupKind<typeof slaPolicyBody>,
  {
    path: '/v1/routing-rules',
    body: routingRuleBody,
    items: (setup) => setup.routingRules,
    put: (id, { rank, match, team }) => ({ type: 'PutRoutingRule', rule: { id, rank, match, team } }),
    remove: (id) => ({ type: 'DeleteRoutingRule', id }),
  } satisfies SetupKind<typeof routingRuleBody>,
  {
    path: '/v1/ticket-fields',
    param: 'key',
    body: ticketFieldBody,
    items: (setup) => Object.fromEntries(Object.entries(setup.ticketFields).map(([key, field]) => [key, { id: key, ...field }])),
    put: (key, { title, type, options, required, personalData }) => ({
      type: 'PutTicketField',
      field: { key, title: title ?? key, type, options: options ?? null, required, personalData },
    }),
    remove: (key) => ({ type: 'DeleteTicketField', key }),
  } satisfies SetupKind<typeof ticketFieldBody>,
  {
    path: '/v1/triggers',
    body: triggerBody,
    items: (setup) => setup.triggers,
    put: (id, { title, ...trigger }) => ({ type: 'PutTrigger', trigger: { id, title: title ?? id, ...trigger } }),
    remove: (id) => ({ type: 'DeleteTrigger', id }),
  } satisfies SetupKind<typeof triggerBody>,
  {
    path: '/v1/automations',
    body: automationBody,
    items: (setup) => setup.automations,
    put: (id, { title, ...automation }) => ({ type: 'PutAutomation', automation: { id, title: title ?? id, ...automation } }),
    remove: (id) => ({ type: 'DeleteAutomation', id }),
    replans: true,
  } satisfies SetupKind<typeof automationBody>,
  {
    path: '/v1/macros',
    body: macroBody,
    items: (setup) => setup.macros,
    put: (id, { title, actions }) => ({ type: 'PutMacro', macro: { id, title: title ?? id, actions } }),
    remove: (id) => ({ type: 'DeleteMacro', id }),
  } satisfies SetupKind<typeof macroBody>,
] as Array<SetupKind<z.ZodType>>;

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

/** A rule's notify_webhook actions must name subscriptions the tenant has (another stream than the setup's, so asked here). */
async function checkWebhooksNamed(deps: Deps, tenantId: string, body: unknown) {
  const actions = (body as { actions?: Array<{ field: string; value: unknown }> }).actions ?? [];
  const named = actions.flatMap((action, i) => (action.field === 'notify_webhook' ? [{ i, id: action.value as string }] : []));
  if (named.length === 0) return;
  const { subscriptions } = await loadWebhooks(deps, tenantId);
  const unknown = named.filter(({ id }) => !subscriptions[id]);
  if (unknown.length > 0)
    throw validationProblem(
      unknown.map(({ i }) => ({ path: `/actions/${i}/value`, location: 'body' as const, message: 'no webhook subscription has this id' })),
    );
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
  return byRouteKey('setup', Object.fromEntries([...kinds.flatMap((kind) => handlersOf(deps, kind)), ...channelHandlers(deps)]));
};
