import { authProblems, json, problems, refusal, route } from '../openapi/operation.ts';
import { dropdownGroupingRule, metricsPeriodRules, metricsQuery, metricsView } from '../schemas/metrics.ts';

/** Support metrics. */
export const metricsRoutes = [
  route('GET', '/v1/metrics', 'metrics', {
    operationId: 'getMetrics',
    tags: ['Metrics'],
    summary: "Support metrics over the tenant's tickets created in a period (supervisor, integrator, auditor)",
    description:
      'First response time (creation to the first public agent reply), handle time (creation to the first solve, less time ' +
      'pending or on hold), resolution rate (solved over tickets), service level (first replies within the first-reply target ' +
      'over those with one), CSAT (answers 4-5 over answers, and the average) and NPS (promoters 9-10 less detractors 0-6, in ' +
      'percent). Computed from the ticket views, so a rebuild gives the same numbers; days are UTC.',
    request: { query: metricsQuery },
    'x-refusals': [
      refusal('query', '/to', `to is before from (${metricsPeriodRules.ordered})`),
      refusal('query', '/to', `the period is longer than allowed (${metricsPeriodRules.length})`),
      refusal('query', '/from', `more tickets were created in the period than one answer counts (${metricsPeriodRules.tickets})`),
      refusal('query', '/groupBy', dropdownGroupingRule),
    ],
    responses: { 200: { description: 'The numbers', ...json(metricsView) }, ...problems('validation', ...authProblems) },
  }),
];
