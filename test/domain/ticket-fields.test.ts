import { describe, expect, it } from 'vitest';
import { emptySetup, type SupportSetup } from '../../domain/setup/support-setup.ts';
import type { TicketField } from '../../domain/setup/vocabulary.ts';
import { matchingPolicy, routeTicket } from '../../domain/sla/sla.ts';
import type { TicketCommand } from '../../domain/ticket/commands.ts';
import { decide } from '../../domain/ticket/decide.ts';
import type { TicketEvent } from '../../domain/ticket/events.ts';
import { fieldErrors } from '../../domain/ticket/fields.ts';
import { opened, stateOf } from './given-when-then.ts';

const field = (key: string, type: TicketField['type'], more: Partial<TicketField> = {}): TicketField => ({
  key,
  title: key,
  type,
  options: type === 'dropdown' || type === 'multiselect' ? ['pro', 'basic', 'free'] : null,
  required: false,
  personalData: false,
  ...more,
});
const fields = {
  plan: field('plan', 'dropdown'),
  addons: field('addons', 'multiselect'),
  seats: field('seats', 'number'),
  renewal: field('renewal', 'date'),
  vip: field('vip', 'checkbox'),
  order: field('order', 'text', { required: true, personalData: true }),
};
const setup: SupportSetup = { ...emptySetup('acme'), ticketFields: fields };
const context = { now: new Date('2026-11-24T09:01:00Z'), setup };
const { homeRegion: _, direction: __, ...openedData } = opened.data as Extract<TicketEvent, { type: 'TicketOpened' }>['data'];
const openTicket = (values: Record<string, unknown>, requiredFieldsApply = true) =>
  ({ type: 'OpenTicket', ...openedData, fields: values, requiredFieldsApply, region: 'eu-central-1', residency: {} }) as TicketCommand;

describe('custom field values', () => {
  it('accepts a value of each type', () =>
    expect(
      fieldErrors(
        fields,
        { plan: 'pro', addons: ['pro', 'free'], seats: 12.5, renewal: '2027-02-28', vip: true, order: 'A-1' },
        { opening: true },
      ),
    ).toEqual([]));
  it('names each field that does not fit, and why', () =>
    expect(
      fieldErrors(
        fields,
        { plan: 'gold', addons: 'pro', seats: '12', renewal: '2027-02-30', vip: 'yes', colour: 'red' },
        { opening: true },
      ).map((error) => error.field),
    ).toEqual(['plan', 'addons', 'seats', 'renewal', 'vip', 'colour', 'order']));
  it('refuses clearing a required field, and allows clearing another', () => {
    expect(fieldErrors(fields, { order: null }, { opening: false })).toEqual([
      { field: 'order', message: 'required: it cannot be cleared' },
    ]);
    expect(fieldErrors(fields, { plan: null }, { opening: false })).toEqual([]);
  });
});

describe('OpenTicket and SetFields with fields', () => {
  it('opens with the values, personal ones apart', () => {
    const decision = decide(openTicket({ plan: 'pro', order: 'A-1' }), null, context);
    expect(decision).toMatchObject({ ok: true });
    expect(decision.ok && decision.events[1]).toEqual({ type: 'FieldsSet', data: { values: { plan: 'pro' }, personal: { order: 'A-1' } } });
  });
  it('refuses a new ticket without a required field, unless a channel opens it', () => {
    expect(decide(openTicket({ plan: 'pro' }), null, context)).toEqual({
      ok: false,
      error: { code: 'invalid_fields', errors: [{ field: 'order', message: 'order is required' }] },
    });
    expect(decide(openTicket({}, false), null, context)).toMatchObject({ ok: true });
  });
  it('records only what changes, and folds clears away', () => {
    const ticket = stateOf([opened, { type: 'FieldsSet', data: { values: { plan: 'pro', seats: 3 }, personal: { order: 'A-1' } } }]);
    expect(ticket?.fields).toEqual({ plan: 'pro', seats: 3, order: 'A-1' });
    expect(decide({ type: 'SetFields', fields: { plan: 'pro', seats: null, order: 'A-1' } }, ticket, context)).toEqual({
      ok: true,
      events: [{ type: 'FieldsSet', data: { values: { seats: null }, personal: {} } }],
    });
    const cleared = stateOf([
      opened,
      { type: 'FieldsSet', data: { values: { plan: 'pro', seats: 3 }, personal: { order: 'A-1' } } },
      { type: 'FieldsSet', data: { values: { seats: null }, personal: {} } },
    ]);
    expect(cleared?.fields).toEqual({ plan: 'pro', order: 'A-1' });
    expect(decide({ type: 'SetFields', fields: { plan: 'pro' } }, cleared, context)).toEqual({ ok: true, events: [] });
  });
  it('keeps the values of a deleted field, and refuses new ones for it', () => {
    const ticket = stateOf([opened, { type: 'FieldsSet', data: { values: { legacy: 'x' }, personal: {} } }]);
    expect(ticket?.fields).toEqual({ legacy: 'x' });
    expect(decide({ type: 'SetFields', fields: { legacy: 'y' } }, ticket, context)).toEqual({
      ok: false,
      error: { code: 'invalid_fields', errors: [{ field: 'legacy', message: 'no such ticket field' }] },
    });
  });
});

describe('routing rules and SLA policies on fields', () => {
  const routed: SupportSetup = {
    ...setup,
    teams: { enterprise: { id: 'enterprise', name: 'Enterprise', calendarId: null, escalatesTo: [] } },
    routingRules: { pro: { id: 'pro', rank: 1, match: { fields: { plan: ['pro'] } }, team: 'enterprise' } },
    slaPolicies: {
      addons: {
        id: 'addons',
        name: 'Add-ons',
        rank: 1,
        match: { fields: { addons: ['free'], vip: [true] } },
        targets: { firstReply: 'PT1H' },
        businessHours: false,
        onBreach: { raisePriority: false, handOff: false },
      },
    },
  };
  it('routes a new ticket by a field it opens with', () => {
    const decision = decide(openTicket({ plan: 'pro', order: 'A-1' }), null, { ...context, setup: routed });
    expect(decision.ok && decision.events.at(-1)).toEqual({
      type: 'TicketAssigned',
      data: { assignee: null, team: 'enterprise' },
      causedBy: 'routing:pro',
    });
    expect(routeTicket(routed, { ...openedData, fields: { plan: 'basic' } })).toBeNull();
  });
  it('matches a policy on a multiselect option and a checkbox', () => {
    const base = { priority: 'normal' as const, channel: 'email' as const, tags: [] as string[] };
    expect(matchingPolicy(routed, { ...base, fields: { addons: ['pro', 'free'], vip: true } })?.id).toBe('addons');
    expect(matchingPolicy(routed, { ...base, fields: { addons: ['pro'], vip: true } })).toBeNull();
    expect(matchingPolicy(routed, { ...base, fields: { addons: ['free'] } })).toBeNull();
  });
});
