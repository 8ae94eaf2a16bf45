import { referencedField } from '../ticket/fields.ts';
import type { Ticket } from '../ticket/state.ts';

/**
 * The managers' numbers, computed from ticket views (each a fold of its events, so a rebuild gives
 * the same numbers). Tickets count in the period of the day (UTC) they were created.
 *
 * - first response time: creation to the first public agent reply;
 * - handle time: creation to the first solve, less the time waiting on the requester or a third
 *   party (pending, on hold);
 * - resolution rate: solved (or closed) tickets over tickets;
 * - service level: first replies within the first-reply target, over first replies that had one;
 * - CSAT: answers 4 or 5 over answers (and the average score);
 * - NPS: promoters (9-10) less detractors (0-6), in percent of answers.
 */
export const metricGroupings = ['team', 'channel', 'country', 'day'] as const;
/** A grouping by the ticket's own attributes, or by a dropdown custom field (`field.<key>`). */
export type MetricGrouping = (typeof metricGroupings)[number] | `field.${string}`;

export interface MetricsGroup {
  key: Partial<Record<MetricGrouping, string | null>>;
  tickets: number;
  firstResponse: { count: number; averageSeconds: number | null; medianSeconds: number | null };
  handleTime: { count: number; averageSeconds: number | null };
  resolution: { solved: number; rate: number | null };
  serviceLevel: { measured: number; withinTarget: number; rate: number | null };
  csat: { responses: number; averageScore: number | null; satisfiedRate: number | null };
  nps: { responses: number; promoters: number; passives: number; detractors: number; score: number | null };
}

const seconds = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;
const average = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
const ratio = (part: number, whole: number) => (whole ? part / whole : null);
function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const firstResponseSeconds = (ticket: Ticket) =>
  ticket.firstRepliedAt === null ? null : seconds(ticket.createdAt, ticket.firstRepliedAt);

export function handleSeconds(ticket: Ticket): number | null {
  if (ticket.solvedAt === null) return null;
  const solvedAt = ticket.solvedAt;
  const waited = ticket.resolutionPauses
    .filter((pause) => pause.from < solvedAt)
    .reduce((sum, pause) => sum + seconds(pause.from, pause.to === null || pause.to > solvedAt ? solvedAt : pause.to), 0);
  return seconds(ticket.createdAt, solvedAt) - waited;
}

function measure(key: MetricsGroup['key'], tickets: Ticket[]): MetricsGroup {
  const responses = tickets.flatMap((t) => (firstResponseSeconds(t) === null ? [] : [firstResponseSeconds(t)!]));
  const handled = tickets.flatMap((t) => (handleSeconds(t) === null ? [] : [handleSeconds(t)!]));
  const measured = tickets.filter((t) => t.firstReplyWithinSla !== null);
  const csat = tickets.flatMap((t) => (t.satisfaction ? [t.satisfaction.score] : []));
  const nps = tickets.flatMap((t) => (t.nps ? [t.nps.score] : []));
  const promoters = nps.filter((s) => s >= 9).length;
  const detractors = nps.filter((s) => s <= 6).length;
  const solved = tickets.filter((t) => t.solvedAt !== null).length;
  return {
    key,
    tickets: tickets.length,
    firstResponse: { count: responses.length, averageSeconds: average(responses), medianSeconds: median(responses) },
    handleTime: { count: handled.length, averageSeconds: average(handled) },
    resolution: { solved, rate: ratio(solved, tickets.length) },
    serviceLevel: {
      measured: measured.length,
      withinTarget: measured.filter((t) => t.firstReplyWithinSla).length,
      rate: ratio(measured.filter((t) => t.firstReplyWithinSla).length, measured.length),
    },
    csat: { responses: csat.length, averageScore: average(csat), satisfiedRate: ratio(csat.filter((s) => s >= 4).length, csat.length) },
    nps: {
      responses: nps.length,
      promoters,
      passives: nps.length - promoters - detractors,
      detractors,
      score: nps.length ? ((promoters - detractors) / nps.length) * 100 : null,
    },
  };
}

function valueOf(ticket: Ticket, grouping: MetricGrouping): string | null {
  const key = referencedField(grouping);
  if (key !== null) {
    const value = ticket.fields?.[key];
    return typeof value === 'string' ? value : null;
  }
  const own = { team: ticket.team, channel: ticket.channel, country: ticket.requester.country, day: ticket.createdAt.slice(0, 10) };
  return own[grouping as (typeof metricGroupings)[number]];
}

export function supportMetrics(tickets: Ticket[], groupBy: MetricGrouping[]): { total: MetricsGroup; groups: MetricsGroup[] } {
  const groups = new Map<string, { key: MetricsGroup['key']; tickets: Ticket[] }>();
  for (const ticket of tickets) {
    const key = Object.fromEntries(groupBy.map((g) => [g, valueOf(ticket, g)]));
    const id = JSON.stringify(key);
    if (!groups.has(id)) groups.set(id, { key, tickets: [] });
    groups.get(id)!.tickets.push(ticket);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, group]) => measure(group.key, group.tickets));
  return { total: measure({}, tickets), groups: groupBy.length ? ordered : [] };
}
