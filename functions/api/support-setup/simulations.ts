import type * as z from 'zod';
import type { SetupCommand } from '../../../domain/setup/support-setup.ts';
import { DraftRefused, draftSetup, fitsInline, simulate, startSimulationJob } from '../../shared/application/simulations.ts';
import { loadSetup } from '../../shared/application/support-setup.ts';
import { apiHandler, type HttpHandler } from '../../shared/platform/http/api-handler.ts';
import { Problem } from '../../shared/platform/http/problem.ts';
import { setupProblem } from '../../shared/platform/http/problem-from-error.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import type { SimulationJob, SimulationRequest } from '../../shared/ports/simulation-jobs.ts';
import { draftKindPaths, draftKinds, simulationBody, simulationParams } from '../schemas/simulations.ts';
import { kinds } from './setup-kinds.ts';
import { checkWebhooksNamed } from './webhooks-named.ts';

type Draft = z.infer<typeof simulationBody>['draft'];

/** The draft's items as the commands their PUTs would decide, each with where it is in the body. */
function draftCommands(draft: Draft): Array<{ pointer: string; command: SetupCommand }> {
  return draftKinds.flatMap((name) => {
    const kind = kinds.find((k) => k.path === draftKindPaths[name])!;
    const items = (draft[name] ?? []) as Array<{ id: string }>;
    return items.map(({ id, ...body }, index) => ({ pointer: `/draft/${name}/${index}`, command: kind.put(id, body) }));
  });
}

/** A draft item refused as its PUT would be, with the paths under the item. */
function draftProblem(error: DraftRefused, pointer: string): Problem {
  const problem = setupProblem(error.refusal);
  const errors = (problem.extensions.errors as Array<{ path: string }> | undefined) ?? [
    { path: '', location: 'body', message: problem.detail },
  ];
  return new Problem(problem.kind, problem.detail, {
    ...problem.extensions,
    errors: errors.map((e) => ({ ...e, path: `${pointer}${e.path}` })),
  });
}

const jobView = (job: SimulationJob) => ({
  id: job.simulationId,
  status: job.status,
  from: job.request.from,
  to: job.request.to,
  requestedAt: job.requestedAt,
  finishedAt: job.finishedAt,
  result: job.result,
  failure: job.failure,
});

/** RFC 7240: `Prefer: respond-async` asks for a job even when the window is small. */
const prefersAsync = (headers: Record<string, string | undefined>) =>
  (headers.prefer ?? '').split(',').some((preference) => preference.trim().toLowerCase() === 'respond-async');

/**
 * POST /v1/simulations answers at once for a window of up to `inlineTicketLimit` tickets, and
 * otherwise (or when asked to) starts a job: 202 with its Location. GET polls the job.
 */
export function simulationHandlers(deps: Deps): Array<[string, HttpHandler]> {
  return [
    [
      'POST /v1/simulations',
      apiHandler(deps, { permission: 'setup:manage', body: simulationBody }, async (request) => {
        const { tenantId } = request.principal;
        const { from, to, draft } = request.body;
        const items = draftCommands(draft);
        for (const name of ['triggers', 'automations'] as const)
          for (const [index, item] of (draft[name] ?? []).entries())
            await checkWebhooksNamed(deps, tenantId, item, `/draft/${name}/${index}`);
        const setup = await loadSetup(deps, tenantId);
        try {
          draftSetup(
            setup,
            items.map((item) => item.command),
            deps.clock(),
          );
        } catch (error) {
          if (error instanceof DraftRefused) throw draftProblem(error, items[error.index]!.pointer);
          throw error;
        }
        const simulation: SimulationRequest = { from, to, setupVersion: setup.version, draft: items.map((item) => item.command) };
        const asked = prefersAsync(request.headers);
        if (asked || !(await fitsInline(deps, tenantId, simulation))) {
          const job = await startSimulationJob(deps, tenantId, simulation);
          const location = `/v1/simulations/${job.simulationId}`;
          return {
            status: 202,
            body: jobView(job),
            headers: { location, 'retry-after': '5', ...(asked ? { 'preference-applied': 'respond-async' } : {}) },
          };
        }
        const requestedAt = deps.clock().toISOString();
        const result = await simulate(deps, tenantId, simulation, { baseline: setup });
        return {
          status: 200,
          body: { id: null, status: 'succeeded', from, to, requestedAt, finishedAt: deps.clock().toISOString(), result, failure: null },
        };
      }),
    ],
    [
      'GET /v1/simulations/{id}',
      apiHandler(deps, { permission: 'setup:manage', params: simulationParams }, async (request) => {
        const job = await deps.simulations.get(request.principal.tenantId, request.params.id);
        if (!job) throw new Problem('notFound', 'No such simulation (a job is kept 7 days)');
        return {
          status: 200,
          body: jobView(job),
          headers: job.status === 'running' ? { 'retry-after': '5' } : ({} as Record<string, string>),
        };
      }),
    ],
  ];
}
