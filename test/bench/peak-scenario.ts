import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import { regionTableShapes } from '../../infra/local/tables.ts';
import { countItems, sequenced } from '../support/runtime.ts';
import { send } from './http.ts';
import { type LoadFigures, type PhaseFigures, type ProjectionLag, WriteUnits } from './peak.ts';
import { idOf, type PeakLoad, ticketBody } from './peak-load.ts';

export const steadyRate = 10;
export const peakSeconds = 60;

export interface PeakFigures {
  phases: PhaseFigures[];
  /** From the last answer of the peak until every event is projected and logged. */
  catchUpMs: number;
  /** Every write of the three phases, per event. */
  underLoad: WriteCost;
  /** Without, then with an Idempotency-Key on every POST. */
  lifecycles: LifecycleWriteUnits[];
}

export interface WriteCost {
  events: number;
  byTable: Array<{ table: string; units: number }>;
}

export interface LifecycleWriteUnits extends WriteCost {
  idempotencyKeys: boolean;
  lifecycles: number;
}

/**
 * Black Friday on one region: a steady mix of creates, requester messages, ticket reads and queue
 * reads, then ten times the rate for a minute; then the write cost of whole ticket lifecycles.
 */
export async function peakScenario(url: string, deps: Deps, token: string, lag: ProjectionLag): Promise<PeakFigures> {
  const pool: string[] = [];
  for (let i = 0; i < 100; i += 10) {
    const created = await Promise.all(
      Array.from({ length: 10 }, (_, j) => send(`${url}/v1/tickets`, 'POST', token, ticketBody(1_000_000 + i + j))),
    );
    pool.push(...created.map(idOf));
  }
  let phases: PhaseFigures[] = [];
  let catchUpMs = 0;
  const underLoad = await writeCost(deps, async () => {
    const load = await generateLoad({
      url,
      token,
      pool,
      phases: [
        { name: 'steady', ratePerSecond: steadyRate, seconds: 30 },
        { name: 'peak (10x)', ratePerSecond: steadyRate * 10, seconds: peakSeconds },
        // Past what this machine holds: where the knee is, not a goal.
        { name: 'beyond (15x)', ratePerSecond: steadyRate * 15, seconds: 30 },
      ],
    });
    phases = load.map((figures) => ({ ...figures, projectionLag: lag.between(figures.from, figures.to) }));
    const loadEnded = Date.now();
    await settled(deps);
    catchUpMs = Date.now() - loadEnded;
  });
  const lifecycles = [await lifecycleWriteUnits(url, deps, token, false), await lifecycleWriteUnits(url, deps, token, true)];
  return { phases, catchUpMs, underLoad, lifecycles };
}

/** Runs the load generator (peak-load.ts) on a worker thread of its own, TypeScript loaded there by tsx too. */
function generateLoad(load: PeakLoad): Promise<LoadFigures[]> {
  const file = fileURLToPath(new URL('./peak-load.ts', import.meta.url));
  const boot = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(file)}, ${JSON.stringify(import.meta.url)}))`;
  const worker = new Worker(boot, { eval: true, workerData: load });
  return new Promise((done, fail) => {
    worker.once('message', done);
    worker.once('error', fail);
    worker.once('exit', (code) => fail(new Error(`the load generator exited (${code}) before it reported`)));
  });
}

/** The write units of every table while `work` runs, and how many events it stored; projections and the log settled on both sides. */
async function writeCost(deps: Deps, work: () => Promise<void>): Promise<WriteCost> {
  const units = new WriteUnits(deps.dynamodb, regionTableShapes(deps.config));
  try {
    await settled(deps);
    const before = await eventCount(deps);
    units.reset();
    await work();
    await settled(deps);
    return {
      events: (await eventCount(deps)) - before,
      byTable: [...units.byTable].map(([table, written]) => ({ table, units: written })),
    };
  } finally {
    units.detach();
  }
}

const eventCount = (deps: Deps) => countItems(deps, deps.config.eventsTable);

/** Every event logged by the sequencer, and the projector idle for a second. */
async function settled(deps: Deps) {
  await sequenced(deps, 300_000);
  await sleep(1000);
}

/** Open, reply, assign, solve, close: the writes of every table, the projection and the log included. */
async function lifecycleWriteUnits(url: string, deps: Deps, token: string, idempotencyKeys: boolean): Promise<LifecycleWriteUnits> {
  const lifecycles = 30;
  const cost = await writeCost(deps, async () => {
    for (let i = 0; i < lifecycles; i++) {
      const write = (path: string, method: string, body: unknown) =>
        send(`${url}${path}`, method, token, body, idempotencyKeys ? { 'idempotency-key': randomUUID() } : {});
      const id = idOf(await write('/v1/tickets', 'POST', ticketBody((idempotencyKeys ? 3_000_000 : 2_000_000) + i)));
      await write(`/v1/tickets/${id}/messages`, 'POST', { body: 'We are sending the right size today.', from: 'agent' });
      await write(`/v1/tickets/${id}`, 'PATCH', { assignee: 'agent-7' });
      await write(`/v1/tickets/${id}`, 'PATCH', { status: 'solved' });
      await write(`/v1/tickets/${id}`, 'PATCH', { status: 'closed' });
    }
  });
  return { idempotencyKeys, lifecycles, ...cost };
}
