import { ticketDecider } from '../../domain/ticket/unit.ts';
import { createTicketBody } from '../../functions/api/schemas/tickets.ts';
import { detectLanguage } from '../../functions/shared/platform/language.ts';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import { verifyToken } from '../../infra/local/jwt.ts';
import { percentiles } from './stats.ts';

/** One stage of a create-ticket: its round trips to the store per request and its milliseconds. */
export interface Stage {
  stage: string;
  roundTrips: number;
  p50: number;
  mean: number;
}

export interface StageBreakdown {
  requester: 'new' | 'returning';
  requests: number;
  total: { p50: number; mean: number };
  stages: Stage[];
}

export interface CreateTicketStages {
  breakdowns: StageBreakdown[];
  /** Work inside "the rest", each step timed alone in this process (median of many calls). */
  alone: Array<{ step: string; ms: number }>;
}

export interface SampleRequest {
  token: string;
  secret: Uint8Array;
  body: { subject: string; description: string };
}

type Sample = Map<string, { ms: number; calls: number }>;

/** The stages in the order a create-ticket meets them. */
const pathOrder = [
  'Idempotency-Key',
  'subject lookup',
  'new requester',
  'support setup',
  'decide',
  "ticket's own",
  'seal',
  'append',
  "requester's count",
];

/**
 * Which stage a store call belongs to, by what it is and the table it names; undefined for the
 * tables only the runtime's stream consumers write (views, region log), which share its client.
 */
function stageOfCall(command: string, table: string): string | undefined {
  if (table.endsWith('-views') || table.includes('-audit')) return undefined;
  if (table.includes('-events') && table.includes('-subjects')) return "append (events, with the ticket's own data key)";
  if (table.endsWith('-subjects')) {
    if (command === 'GetItemCommand') return 'subject lookup (contact -> subject, and its key when not cached)';
    if (command === 'TransactWriteItemsCommand') return 'new requester: subject and data key';
    if (command === 'PutItemCommand') return "ticket's own data key";
    if (command === 'UpdateItemCommand') return "requester's count of opened tickets";
    return `subject directory: ${command}`;
  }
  if (table.endsWith('-events')) return command === 'QueryCommand' ? 'support setup (stream read)' : 'append (events, conditional)';
  if (table.endsWith('-idempotency')) return 'Idempotency-Key';
  return `${command} ${table}`;
}

const tableOf = (input: Record<string, unknown>) =>
  (input.TableName as string | undefined) ??
  Object.keys((input.RequestItems as object | undefined) ?? {})[0] ??
  (input.TransactItems as Array<Record<string, { TableName: string }>> | undefined)
    ?.map((item) => Object.values(item)[0]!.TableName)
    .join('+') ??
  '';

/**
 * Times each stage of create-ticket over HTTP at one client: the store calls on the runtime's own
 * DynamoDB client (by command and table), sealing and the decision (by wrapping them in place),
 * and the rest (HTTP, the gateway's JWT check, validation, language detection, the response) as
 * what is left, with those steps also timed alone. The runtime's stream consumers share the
 * process, so a store call's time includes waiting for them; their own calls are left out.
 */
export async function createTicketStages(
  deps: Deps,
  create: (email: string) => Promise<void>,
  sample: SampleRequest,
  requests = 200,
): Promise<CreateTicketStages> {
  let current: Sample | undefined;
  let storeMsInSeal = 0;
  let sealing = false;
  const add = (stage: string, ms: number, calls = 0) => {
    if (!current) return;
    const entry = current.get(stage) ?? { ms: 0, calls: 0 };
    entry.ms += ms;
    entry.calls += calls;
    current.set(stage, entry);
  };
  deps.dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      const started = performance.now();
      try {
        return await next(args);
      } finally {
        const ms = performance.now() - started;
        if (sealing) storeMsInSeal += ms;
        const stage = stageOfCall(context.commandName ?? '?', tableOf(args.input as Record<string, unknown>));
        if (stage) add(stage, ms, 1);
      }
    },
    { step: 'initialize', name: 'benchStages' },
  );
  const seal = deps.personalData.seal;
  deps.personalData.seal = async (...args) => {
    const started = performance.now();
    storeMsInSeal = 0;
    sealing = true;
    try {
      return await seal(...args);
    } finally {
      sealing = false;
      add('seal (AES-GCM, keys from cache)', performance.now() - started - storeMsInSeal);
    }
  };
  const decide = ticketDecider.decide;
  ticketDecider.decide = (...args) => {
    const started = performance.now();
    const decision = decide(...args);
    add('decide', performance.now() - started);
    return decision;
  };
  try {
    const breakdowns: StageBreakdown[] = [];
    for (const requester of ['new', 'returning'] as const) {
      const emails = (i: number) => (requester === 'new' ? `stage-new-${i}@example.de` : `stage-returning-${i % 10}@example.de`);
      for (let i = 0; i < 10; i++) await create(emails(i)); // the returning ones exist, and warm-up
      const samples: Array<{ total: number; stages: Sample }> = [];
      for (let i = 10; i < requests + 10; i++) {
        current = new Map();
        const started = performance.now();
        await create(emails(i));
        samples.push({ total: performance.now() - started, stages: current });
        current = undefined;
      }
      breakdowns.push(summarise(requester, samples));
    }
    return { breakdowns, alone: await stepsAlone(sample) };
  } finally {
    deps.personalData.seal = seal;
    ticketDecider.decide = decide;
    deps.dynamodb.middlewareStack.remove('benchStages');
  }
}

function summarise(requester: 'new' | 'returning', samples: Array<{ total: number; stages: Sample }>): StageBreakdown {
  const order = (name: string) => {
    const at = pathOrder.findIndex((prefix) => name.startsWith(prefix));
    return at < 0 ? pathOrder.length : at;
  };
  const names = [...new Set(samples.flatMap((s) => [...s.stages.keys()]))].sort((a, b) => order(a) - order(b));
  const rest = 'the rest: HTTP, JWT check, validation, language detection, response';
  const per = (name: string) =>
    samples.map((s) =>
      name === rest ? s.total - [...s.stages.values()].reduce((sum, v) => sum + v.ms, 0) : (s.stages.get(name)?.ms ?? 0),
    );
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  const stages = [...names, rest].map((stage) => ({
    stage,
    roundTrips: stage === rest ? 0 : mean(samples.map((s) => s.stages.get(stage)?.calls ?? 0)),
    p50: percentiles(per(stage)).p50,
    mean: mean(per(stage)),
  }));
  const totals = samples.map((s) => s.total);
  return { requester, requests: samples.length, total: { p50: percentiles(totals).p50, mean: mean(totals) }, stages };
}

/** Milliseconds one call of `step` takes, the median of `times` calls after a warm-up. */
async function alone(step: () => unknown, times = 500): Promise<number> {
  for (let i = 0; i < 50; i++) await step();
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await step();
    samples.push(performance.now() - started);
  }
  return percentiles(samples).p50;
}

/** The in-process steps of "the rest", each timed alone. */
async function stepsAlone(sample: SampleRequest) {
  return [
    { step: 'JWT check (HS256, jose)', ms: await alone(() => verifyToken(sample.secret, sample.token)) },
    { step: 'body validation (zod)', ms: await alone(() => createTicketBody.parse(sample.body)) },
    { step: 'language detection (ELD)', ms: await alone(() => detectLanguage(`${sample.body.subject}\n${sample.body.description}`)) },
  ];
}
