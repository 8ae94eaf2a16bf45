import { describe, expect, it } from 'vitest';
import { decideSetup, emptySetup, evolveSetup, type SetupCommand, type SupportSetup } from '../../domain/setup/support-setup.ts';
import { durationMs } from '../../domain/sla/duration.ts';

const calendar = {
  id: 'berlin-hours',
  name: 'Berlin',
  timeZone: 'Europe/Berlin',
  hours: { mon: [['09:00', '17:00']] as const },
  holidays: [],
  specialHours: [],
};
const given = (...commands: SetupCommand[]): SupportSetup =>
  commands.reduce((setup, command) => {
    const decision = decideSetup(command, setup);
    if (!decision.ok) throw new Error(decision.error.code);
    return decision.events.reduce(
      (s, event) =>
        evolveSetup(s, { ...event, version: s.version + 1, occurredAt: '2026-11-24T09:00:00.000Z', tenantId: 'acme', actorId: 'admin' }),
      setup,
    );
  }, emptySetup('acme'));
const putCalendar: SetupCommand = { type: 'PutCalendar', calendar };
const team = (id: string, escalatesTo: string[] = [], calendarId: string | null = 'berlin-hours'): SetupCommand => ({
  type: 'PutTeam',
  team: { id, name: id, calendarId, escalatesTo },
});

describe('support setup', () => {
  it('records a calendar, and records nothing when the same one is put again', () => {
    expect(decideSetup(putCalendar, given())).toEqual({ ok: true, events: [{ type: 'CalendarPut', data: { calendar } }] });
    expect(decideSetup(putCalendar, given(putCalendar))).toEqual({ ok: true, events: [] });
  });
  it('a team must name a calendar and escalation teams that exist, and not itself', () => {
    expect(decideSetup(team('berlin'), given())).toEqual({ ok: false, error: { code: 'unknown_calendar', calendarId: 'berlin-hours' } });
    expect(decideSetup(team('berlin', ['london']), given(putCalendar))).toEqual({
      ok: false,
      error: { code: 'unknown_team', teamId: 'london', field: 'escalatesTo' },
    });
    expect(decideSetup(team('berlin', ['berlin']), given(putCalendar))).toEqual({ ok: false, error: { code: 'escalates_to_itself' } });
    expect(given(putCalendar, team('london'), team('berlin', ['london'])).teams.berlin?.escalatesTo).toEqual(['london']);
    expect(given(team('night-shift', [], null)).teams['night-shift']?.calendarId).toBeNull();
  });
  it('deletes only what exists', () => {
    expect(decideSetup({ type: 'DeleteSlaPolicy', id: 'x' }, given())).toEqual({ ok: false, error: { code: 'setup_item_not_found' } });
    expect(decideSetup({ type: 'DeleteRoutingRule', id: 'x' }, given())).toEqual({ ok: false, error: { code: 'setup_item_not_found' } });
  });
});

describe('SLA target durations (ISO 8601)', () => {
  it.each([
    ['PT1M', 60_000],
    ['PT4H', 4 * 3_600_000],
    ['P1DT12H', 36 * 3_600_000],
    ['P2W', 14 * 86_400_000],
    ['PT0.5S', 500],
    ['PT1H30M', 5_400_000],
  ])('%s is %i ms', (text, ms) => expect(durationMs(text)).toBe(ms));
  it.each(['P', 'PT', 'P1M', 'P1Y', '1H', 'PT-1H', 'pt1h', 'P1DT'])('%s is refused', (text) => expect(durationMs(text)).toBeNull());
});
