import * as z from 'zod';
import { outcomeAspects } from '../../../domain/simulation/comparison.ts';
import { slaMetrics } from '../../../domain/sla/vocabulary.ts';
import { ticketPriorities, ticketStatuses } from '../../../domain/ticket/vocabulary.ts';
import { ulidSchema } from '../../../events/envelope.ts';
import { setupIdSchema } from '../../../events/setup-ids.ts';
import { automationBody, calendarBody, routingRuleBody, slaPolicyBody, teamBody, triggerBody } from './setup.ts';

/** "What if": a window of ticket history replayed through a draft of the support setup. */

export const maxSimulationDays = 366;
/** What the window must be beyond each field's shape (the document lists these as x-refusals). */
export const simulationWindowRules = {
  ordered: 'to is after from',
  length: `at most ${maxSimulationDays} days`,
} as const;

/** Each draft item in the shape its own PUT takes, plus its id; items are put in the order of these lists. */
const drafted = <B extends z.ZodObject>(body: B, name: string, path: string) =>
  z
    .array(body.extend({ id: setupIdSchema }).meta({ id: `${name}Draft`, description: `As PUT ${path}/{id} takes it, with its id` }))
    .max(100)
    .optional();

/** The draft's kinds, in the order their items are put (calendars before the teams that name them, and so on). */
export const draftKinds = ['calendars', 'teams', 'slaPolicies', 'routingRules', 'triggers', 'automations'] as const;
export type DraftKind = (typeof draftKinds)[number];
/** Where each kind's items are put one by one. */
export const draftKindPaths: Record<DraftKind, string> = {
  calendars: '/v1/calendars',
  teams: '/v1/teams',
  slaPolicies: '/v1/sla-policies',
  routingRules: '/v1/routing-rules',
  triggers: '/v1/triggers',
  automations: '/v1/automations',
};

export const simulationBody = z
  .strictObject({
    from: z.iso.datetime({ offset: true }).meta({ description: 'Tickets created from this instant…' }),
    to: z.iso.datetime({ offset: true }).meta({ description: '…up to this one; their history is replayed up to it (or now, if earlier)' }),
    draft: z
      .strictObject({
        calendars: drafted(calendarBody, 'Calendar', draftKindPaths.calendars),
        teams: drafted(teamBody, 'Team', draftKindPaths.teams),
        slaPolicies: drafted(slaPolicyBody, 'SlaPolicy', draftKindPaths.slaPolicies),
        routingRules: drafted(routingRuleBody, 'RoutingRule', draftKindPaths.routingRules),
        triggers: drafted(triggerBody, 'Trigger', draftKindPaths.triggers),
        automations: drafted(automationBody, 'Automation', draftKindPaths.automations),
      })
      .default({})
      .meta({
        description:
          'Setup items as they would be put (new ids add, known ids replace; to try without a rule, put it with active false). ' +
          'Refused as their PUT would refuse them, with paths under /draft/<kind>/<index>.',
      }),
  })
  .refine((body) => Date.parse(body.from) < Date.parse(body.to), { path: ['to'], message: simulationWindowRules.ordered })
  .refine((body) => Date.parse(body.to) - Date.parse(body.from) <= maxSimulationDays * 86_400_000, {
    path: ['to'],
    message: simulationWindowRules.length,
  })
  .meta({ id: 'SimulationInput' });

export const simulationParams = z.strictObject({ id: ulidSchema });

const counts = z.record(z.string(), z.number().int()).meta({ description: 'By rule id' });
const byMetric = z.record(z.enum(slaMetrics), z.number().int());

const outcome = z
  .object({
    status: z.enum(ticketStatuses),
    priority: z.enum(ticketPriorities),
    team: z.string().nullable(),
    assignee: z.string().nullable(),
    breaches: z.array(z.object({ metric: z.enum(slaMetrics), dueAt: z.iso.datetime() })),
    dueAt: z.record(z.enum(slaMetrics), z.iso.datetime().nullable()).meta({ description: "Each SLA target's due time as last planned" }),
    triggers: counts.meta({ description: 'How many changes each trigger acted in' }),
    automations: counts.meta({ description: 'How many times each automation fired' }),
  })
  .meta({ id: 'SimulatedOutcome', description: 'How the ticket ends up over the window under one setup' });

const side = <T extends z.ZodType>(value: T) => z.object({ baseline: value, draft: value });

export const simulationResult = z
  .object({
    totals: z.object({
      tickets: z.number().int().meta({ description: 'Tickets created in the window, replayed' }),
      events: z.number().int().meta({ description: 'Their recorded events read' }),
      ticketsChanged: z.number().int(),
      changed: z.record(z.enum(outcomeAspects), z.number().int()).meta({ description: 'Tickets per aspect that differs' }),
      breaches: side(byMetric),
      triggerFirings: side(counts),
      automationFirings: side(counts),
    }),
    tickets: z
      .array(
        z.object({
          ticketId: z.string(),
          changed: z.array(z.enum(outcomeAspects)),
          baseline: outcome,
          draft: outcome,
        }),
      )
      .meta({ description: 'The tickets that end differently, by id (at most 2,000: ticketsTruncated says when more differ)' }),
    ticketsTruncated: z.boolean(),
  })
  .meta({ id: 'SimulationResult' });

export const simulationView = z
  .object({
    id: ulidSchema.nullable().meta({ description: 'A job’s id (GET /v1/simulations/{id}); null when answered at once and not kept' }),
    status: z.enum(['running', 'succeeded', 'failed']),
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    requestedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    result: simulationResult.nullable(),
    failure: z.string().nullable(),
  })
  .meta({ id: 'Simulation' });
