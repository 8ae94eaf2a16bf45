import type { SetupCommand } from '../../../domain/setup/support-setup.ts';
import type { SimulationTotals, TicketDifference } from '../../../domain/simulation/comparison.ts';

/** What to simulate: a window of ticket history, and the setup changes the draft makes (as the PUTs would). */
export interface SimulationRequest {
  from: string;
  to: string;
  /** The setup stream's version when asked: a job runs against the setup as it was then. */
  setupVersion: number;
  draft: SetupCommand[];
}

export interface SimulationResult {
  totals: SimulationTotals;
  /** The tickets that end differently, by ticket id; at most `maxListed`, the totals count them all. */
  tickets: TicketDifference[];
  ticketsTruncated: boolean;
}

/** A simulation run as a job: asked, then done (or failed, with why). */
export interface SimulationJob {
  tenantId: string;
  simulationId: string;
  status: 'running' | 'succeeded' | 'failed';
  requestedAt: string;
  finishedAt: string | null;
  request: SimulationRequest;
  result: SimulationResult | null;
  failure: string | null;
}

/** Where jobs and their results are kept for a while (the idempotency table, with a TTL). */
export interface SimulationJobs {
  put(job: SimulationJob): Promise<void>;
  get(tenantId: string, simulationId: string): Promise<SimulationJob | null>;
}
