import * as z from 'zod';
import { type MetricGrouping, metricGroupings } from '../../../domain/metrics/support-metrics.ts';
import { fieldReferencePattern } from '../../../events/setup-events.ts';

/** Support metrics. */

/** What the metrics period must be beyond each field's shape (the document lists these as x-cross-field). */
export const maxMetricsDays = 366;
export const metricsPeriodRules = {
  ordered: 'to is not before from',
  length: `at most ${maxMetricsDays} days`,
  tickets: 'the period holds too many tickets',
} as const;

// The document's pattern: the named groupings, or a field reference (without its anchors).
const groupingPattern = `${metricGroupings.join('|')}|${fieldReferencePattern.source.slice(1, -1)}`;
/** Why a grouping the query's shape allows is refused: it names no dropdown field. */
export const dropdownGroupingRule = 'field.<key> names a dropdown ticket field';

export const metricsQuery = z
  .strictObject({
    from: z.iso.date().meta({ description: 'First day (UTC) of ticket creation counted' }),
    to: z.iso.date().meta({ description: 'Last day (UTC), included' }),
    groupBy: z
      .string()
      .optional()
      .transform((text, context) => {
        const names = text ? text.split(',') : [];
        const unknown = names.filter((name) => !(metricGroupings as readonly string[]).includes(name) && !fieldReferencePattern.test(name));
        if (unknown.length)
          context.addIssue({ code: 'custom', message: `group by ${metricGroupings.join(', ')} or field.<key>, comma separated` });
        return [...new Set(names)] as MetricGrouping[];
      })
      .meta({
        description: 'Comma separated: team, channel, country, day, and field.<key> for a dropdown custom field',
        pattern: `^((${groupingPattern})(,(${groupingPattern}))*)?$`,
      }),
  })
  .refine((query) => query.from <= query.to, { path: ['to'], message: metricsPeriodRules.ordered })
  .refine((query) => Date.parse(query.to) - Date.parse(query.from) <= maxMetricsDays * 86_400_000, {
    path: ['to'],
    message: metricsPeriodRules.length,
  });

const metricsGroup = z.object({
  key: z.record(z.string(), z.string().nullable()),
  tickets: z.number().int(),
  firstResponse: z.object({ count: z.number().int(), averageSeconds: z.number().nullable(), medianSeconds: z.number().nullable() }),
  handleTime: z.object({ count: z.number().int(), averageSeconds: z.number().nullable() }),
  resolution: z.object({ solved: z.number().int(), rate: z.number().nullable() }),
  serviceLevel: z.object({ measured: z.number().int(), withinTarget: z.number().int(), rate: z.number().nullable() }),
  csat: z.object({ responses: z.number().int(), averageScore: z.number().nullable(), satisfiedRate: z.number().nullable() }),
  nps: z.object({
    responses: z.number().int(),
    promoters: z.number().int(),
    passives: z.number().int(),
    detractors: z.number().int(),
    score: z.number().nullable(),
  }),
});
export const metricsView = z
  .object({
    from: z.string(),
    to: z.string(),
    groupBy: z.array(z.string()).meta({ description: 'team, channel, country, day, field.<key>' }),
    total: metricsGroup,
    groups: z.array(metricsGroup),
  })
  .meta({ id: 'Metrics' });
