import { Logger } from '@aws-lambda-powertools/logger';
import { monotonicFactory } from 'ulid';
import type { Automation, Trigger } from '../../domain/automation/rules.ts';
import type { Caused } from '../../domain/decider.ts';
import { emptySetup, type SupportSetup } from '../../domain/setup/support-setup.ts';
import { replayTicket } from '../../domain/simulation/replay.ts';
import type { SlaPolicy } from '../../domain/sla/vocabulary.ts';
import type { TicketCommand } from '../../domain/ticket/commands.ts';
import type { TicketEvent } from '../../domain/ticket/events.ts';
import { ticketStreamId } from '../../events/envelope.ts';
import { chainEvents, genesisHash } from '../../events/hash-chain.ts';
import { setupEventForm, supportSetupStreamId } from '../../events/setup-events.ts';
import { ticketEventForm } from '../../events/upcasters.ts';
import { simulate } from '../../functions/shared/application/simulations.ts';
import { compose } from '../../functions/shared/platform/composition.ts';
import { unpublishedMetrics } from '../../functions/shared/platform/observability.ts';
import { localCredentials } from '../../infra/local/engine.ts';
import { ephemeralVault } from '../../infra/local/key-file-vault.ts';
import { localConfig } from '../../infra/local/runtime.ts';
import { ensureRegionTables } from '../../infra/local/tables.ts';
import { opening as openingOf } from '../support/ticket-commands.ts';
import { liveTicket } from '../support/ticket-lives.ts';

export interface SimulationFigures {
  tickets: number;
  events: number;
  changes: number;
  /** Replaying in memory, per setup. */
  memory: { baselineMs: number; draftMs: number };
  /** The whole simulation from DynamoDB Local: list, read every stream, replay both setups, compare. */
  stored: { ms: number; ticketsChanged: number; extraBreaches: number };
  writeMs: number;
}

const tenantId = 'bench-sim';
const hour = 3_600_000;
/** A seeded generator: the same histories on every run. */
function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

const policy = (firstReply: string): SlaPolicy => ({
  id: 'standard',
  name: 'Standard',
  rank: 1,
  match: {},
  targets: { firstReply, nextReply: 'PT8H', resolution: 'P2D' },
  businessHours: false,
  onBreach: { raisePriority: true, handOff: false },
});
const chatUrgent: Trigger = {
  id: 'chat-high',
  title: 'Chat is high',
  position: 1,
  active: true,
  conditions: {
    all: [
      { field: 'update_type', operator: 'is', value: 'create' },
      { field: 'channel', operator: 'is', value: 'chat' },
    ],
    any: [],
  },
  actions: [{ field: 'priority', value: 'high' }],
};
const vipTag: Trigger = {
  id: 'vip-note',
  title: 'VIP note',
  position: 2,
  active: true,
  conditions: {
    all: [
      { field: 'tags', operator: 'includes', value: ['vip'] },
      { field: 'priority', operator: 'is_not', value: 'urgent' },
    ],
    any: [],
  },
  actions: [
    { field: 'priority', value: 'urgent' },
    { field: 'internal_note', value: { body: 'VIP: {{ticket.id}}', translations: {} } },
  ],
};
const nudge: Automation = {
  id: 'pending-nudge',
  title: 'Nudge pending',
  position: 1,
  active: true,
  conditions: {
    all: [
      { field: 'hours_since_pending', operator: 'greater_than', value: 24 },
      { field: 'tags', operator: 'not_includes', value: ['nudged'] },
    ],
    any: [],
  },
  actions: [{ field: 'add_tags', value: ['nudged'] }],
};
const baseline: SupportSetup = {
  ...emptySetup(tenantId),
  slaPolicies: { standard: policy('PT4H') },
  triggers: { [chatUrgent.id]: chatUrgent, [vipTag.id]: vipTag },
  automations: { [nudge.id]: nudge },
};
/** The draft: a first-reply target of one hour instead of four. */
const draft: SupportSetup = { ...baseline, slaPolicies: { standard: policy('PT1H') } };

const opening = (ticketId: string, random: () => number): TicketCommand =>
  openingOf(ticketId, `S-${ticketId}`, {
    channel: (['email', 'web', 'chat'] as const)[Math.floor(random() * 3)],
    tags: random() < 0.1 ? ['vip'] : [],
  });
const message = (from: 'agent' | 'requester', i: number): TicketCommand => ({
  type: 'AddMessage',
  messageId: `m${i}`,
  from,
  authorId: from === 'agent' ? 'agent-1' : 'requester',
  body: from === 'agent' ? 'Looking into it' : 'Any news?',
  public: true,
  language: null,
});

/** A ticket's life as people lived it: what happened, when (hours after opening). */
function lifeOf(ticketId: string, random: () => number): Array<[number, TicketCommand[]]> {
  const steps: Array<[number, TicketCommand[]]> = [[0, [opening(ticketId, random)]]];
  let at = 0.2 + random() * 8;
  steps.push([at, [message('agent', 1)]]);
  if (random() < 0.4) {
    at += 1 + random() * 24;
    steps.push([at, [message('requester', 2)]]);
    at += 0.5 + random() * 10;
    steps.push([at, [message('agent', 3), { type: 'ChangeStatus', to: 'pending' } as TicketCommand]]);
  }
  at += 1 + random() * 48;
  steps.push([at, [{ type: 'Assign', assignee: 'agent-1' } as TicketCommand, { type: 'ChangeStatus', to: 'solved' } as TicketCommand]]);
  return steps;
}

/** Lives a ticket under the baseline setup up to its last step: its changes as recorded, and the ticket they leave. */
function record(ticketId: string, openedAt: number, random: () => number) {
  const steps = lifeOf(ticketId, random).map(([hours, commands]): [Date, TicketCommand[]] => [new Date(openedAt + hours * hour), commands]);
  const { changes, ticket } = liveTicket(baseline, steps, steps.at(-1)![0]);
  return { ticketId, changes, ticket: ticket! };
}

/**
 * "What if" over 10,000 tickets' history (a month of tickets, 40% with a second exchange, SLA
 * breaches, two triggers and an automation at work): each history replayed in memory under the
 * setup and under a draft with a stricter first-reply target; then the same histories stored in
 * DynamoDB Local (hash-chained events and views, as the system writes them) and the whole
 * simulation run from there, as a job runs it.
 */
export async function simulationBench(endpoint: string, tickets = 10_000): Promise<SimulationFigures> {
  const random = seeded(20261207);
  const start = Date.parse('2026-10-01T00:00:00Z');
  const newId = monotonicFactory();
  const histories = Array.from({ length: tickets }, (_, i) => {
    const openedAt = start + Math.floor(i * ((30 * 24 * hour) / tickets));
    const ticketId = newId(openedAt);
    return record(ticketId, openedAt, random);
  });
  const events = histories.reduce((sum, h) => sum + h.changes.reduce((n, c) => n + c.events.length, 0), 0);
  const changes = histories.reduce((sum, h) => sum + h.changes.length, 0);
  const until = new Date(start + 40 * 24 * hour);
  const timed = (setup: SupportSetup) => {
    const began = performance.now();
    for (const { changes: history } of histories) replayTicket(history, setup, until);
    return performance.now() - began;
  };
  timed(baseline); // warm-up
  const memory = { baselineMs: timed(baseline), draftMs: timed(draft) };

  const logger = new Logger({ logLevel: 'SILENT' });
  const deps = compose(localConfig('eu-central-1', endpoint, { tablePrefix: 'bench-sim' }), {
    credentials: localCredentials,
    logger,
    metrics: unpublishedMetrics('eu-central-1', logger),
    keyVault: ephemeralVault(),
    clock: () => new Date(until.getTime() + hour),
  });
  await ensureRegionTables(deps.dynamodb, deps.config);
  const writing = performance.now();
  const setupVersion = await storeSetup(deps, baseline);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < histories.length) {
        await storeTicket(deps, histories[next++]!);
      }
    }),
  );
  const writeMs = performance.now() - writing;
  const began = performance.now();
  const result = await simulate(deps, tenantId, {
    from: new Date(start).toISOString(),
    to: until.toISOString(),
    setupVersion,
    draft: [{ type: 'PutSlaPolicy', policy: policy('PT1H') }],
  });
  const ms = performance.now() - began;
  if (result.totals.tickets !== tickets) throw new Error(`simulated ${result.totals.tickets} tickets of ${tickets}`);
  deps.dynamodb.destroy();
  return {
    tickets,
    events,
    changes,
    memory,
    stored: {
      ms,
      ticketsChanged: result.totals.ticketsChanged,
      extraBreaches: result.totals.breaches.draft.firstReply - result.totals.breaches.baseline.firstReply,
    },
    writeMs,
  };
}

type Deps = ReturnType<typeof compose>;
const eventIds = monotonicFactory();
const envelope = (streamId: string, at: string, cause: string) => ({
  streamId,
  occurredAt: at,
  recordedAt: at,
  region: 'eu-central-1',
  tenantId,
  actor: { type: 'system' as const, id: 'bench' },
  correlationId: cause,
  causationId: cause,
});

/** The baseline as the tenant's setup stream, each item put in one append; answers the stream's version. */
async function storeSetup(deps: Deps, setup: SupportSetup): Promise<number> {
  const streamId = supportSetupStreamId(tenantId);
  const at = new Date(0).toISOString();
  const events = [
    ...Object.values(setup.slaPolicies).map((policy) => ({ type: 'SlaPolicyPut', data: { policy } })),
    ...Object.values(setup.triggers).map((trigger) => ({ type: 'TriggerPut', data: { trigger } })),
    ...Object.values(setup.automations).map((automation) => ({ type: 'AutomationPut', data: { automation } })),
  ];
  const newId = monotonicFactory();
  await deps.eventStore.append(
    chainEvents(
      events.map((event, i) => ({
        ...envelope(streamId, at, 'bench-setup'),
        eventId: newId(),
        version: i + 1,
        type: event.type,
        schemaVersion: setupEventForm.schemaVersion(event.type as never),
        data: event.data as Record<string, unknown>,
      })),
      genesisHash,
    ),
  );
  return events.length;
}

/** A ticket's history as the command handler appends it (a change per append, hash-chained), and its view. */
async function storeTicket(deps: Deps, { ticketId, changes, ticket }: ReturnType<typeof record>) {
  const streamId = ticketStreamId(ticketId);
  let version = 0;
  let previous = genesisHash;
  for (const change of changes) {
    const stored = chainEvents(
      change.events.map((event: Caused<TicketEvent>) => ({
        ...envelope(streamId, change.at, event.causedBy ?? 'request'),
        correlationId: `${ticketId}-${change.at}`,
        eventId: eventIds(Date.parse(change.at)),
        version: ++version,
        type: event.type,
        schemaVersion: ticketEventForm.schemaVersion(event.type),
        data: event.data as Record<string, unknown>,
      })),
      previous,
    );
    await deps.eventStore.append(stored);
    previous = stored.at(-1)!.hash;
  }
  await deps.ticketViews.put(ticket);
}
