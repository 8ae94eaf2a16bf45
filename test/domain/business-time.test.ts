import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessTime, businessTimeBetween, isOpen } from '../../domain/calendar/business-time.ts';
import { type Calendar, type Shift, type WeekHours, weekdays } from '../../domain/calendar/calendar.ts';
import { offsetAt } from '../../domain/calendar/time-zone.ts';

const hour = 60 * 60 * 1000;
const minute = 60 * 1000;
const at = (iso: string) => new Date(iso);
const weekHours = (shifts: Shift[], days = weekdays.slice(0, 5)): WeekHours => Object.fromEntries(days.map((d) => [d, shifts]));
const calendar = (timeZone: string, hours: WeekHours, extra: Partial<Calendar> = {}): Calendar => ({
  timeZone,
  hours,
  holidays: [],
  specialHours: [],
  ...extra,
});

describe('business time, by example', () => {
  const berlinOffice = calendar('Europe/Berlin', weekHours([['09:00', '17:00']]));
  const berlinNights = calendar('Europe/Berlin', weekHours([['22:00', '06:00']], [...weekdays]));

  it('carries a target over the weekend: 8 business hours from Friday 16:00 end Monday 16:00 (CEST, after spring forward)', () =>
    expect(addBusinessTime(berlinOffice, at('2026-03-27T15:00:00Z'), 8 * hour)).toEqual(at('2026-03-30T14:00:00Z')));

  it('an overnight shift across spring forward is 7 hours long, across fall back 9', () => {
    expect(businessTimeBetween(berlinNights, at('2026-03-28T12:00:00Z'), at('2026-03-29T12:00:00Z'))).toBe(7 * hour);
    expect(businessTimeBetween(berlinNights, at('2026-10-24T12:00:00Z'), at('2026-10-25T12:00:00Z'))).toBe(9 * hour);
    expect(businessTimeBetween(berlinNights, at('2026-10-17T12:00:00Z'), at('2026-10-18T12:00:00Z'))).toBe(8 * hour);
  });

  it('an overnight shift belongs to the day it starts on: open at 03:00 on Saturday after Friday night', () => {
    const fridayNights = calendar('Europe/Berlin', { fri: [['22:00', '06:00']] });
    expect(isOpen(fridayNights, at('2026-11-28T02:00:00Z'))).toBe(true); // Sat 03:00 CET
    expect(isOpen(fridayNights, at('2026-11-29T02:00:00Z'))).toBe(false); // Sun 03:00 CET
  });

  it('Mexico City kept DST until 2022 (spring forward 3 April) and has none since', () => {
    const mexico = calendar('America/Mexico_City', weekHours([['00:00', '06:00']], [...weekdays]));
    expect(businessTimeBetween(mexico, at('2022-04-03T00:00:00Z'), at('2022-04-04T00:00:00Z'))).toBe(5 * hour);
    expect(businessTimeBetween(mexico, at('2022-10-30T00:00:00Z'), at('2022-10-31T00:00:00Z'))).toBe(7 * hour);
    expect(offsetAt('America/Mexico_City', Date.parse('2026-07-01T12:00:00Z'))).toBe(
      offsetAt('America/Mexico_City', Date.parse('2026-01-01T12:00:00Z')),
    );
    expect(businessTimeBetween(mexico, at('2026-04-05T00:00:00Z'), at('2026-04-06T00:00:00Z'))).toBe(6 * hour);
  });

  it('skips a holiday: a target set on Christmas Eve afternoon lands on the 28th', () => {
    const withChristmas = calendar('Europe/Berlin', weekHours([['09:00', '17:00']]), {
      holidays: [{ date: '2026-12-25', name: 'Christmas Day' }],
    });
    // Thu 24 Dec 16:00 CET + 2h: 1h on the 24th, none on Fri 25th (holiday) or the weekend, 1h on Mon 28th.
    expect(addBusinessTime(withChristmas, at('2026-12-24T15:00:00Z'), 2 * hour)).toEqual(at('2026-12-28T09:00:00Z'));
  });

  it('follows special hours for a period: Ramadan 09:00-14:00 in Dubai instead of 08:00-17:00', () => {
    const dubai = calendar('Asia/Dubai', weekHours([['08:00', '17:00']], ['mon', 'tue', 'wed', 'thu', 'fri']), {
      specialHours: [
        {
          from: '2026-02-18',
          to: '2026-03-19',
          name: 'Ramadan',
          hours: weekHours([['09:00', '14:00']], ['mon', 'tue', 'wed', 'thu', 'fri']),
        },
      ],
    });
    expect(businessTimeBetween(dubai, at('2026-03-02T00:00:00Z'), at('2026-03-03T00:00:00Z'))).toBe(5 * hour);
    expect(businessTimeBetween(dubai, at('2026-03-23T00:00:00Z'), at('2026-03-24T00:00:00Z'))).toBe(9 * hour);
    expect(isOpen(dubai, at('2026-03-02T11:00:00Z'))).toBe(false); // 15:00 in Dubai, Ramadan
  });

  it('a calendar that never opens never reaches a target', () =>
    expect(addBusinessTime(calendar('Europe/Berlin', {}), at('2026-11-25T09:00:00Z'), minute)).toBeNull());
});

// ---- The reference: minute by minute, from the wall-clock parts Intl gives for each minute. ----

const wallFormatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(timeZone: string, instant: number) {
  let formatter = wallFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    wallFormatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}
const previousDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 24 * hour).toISOString().slice(0, 10);
const weekdayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
function shiftsOn(cal: Calendar, date: string): Array<[number, number]> {
  if (cal.holidays.some((h) => h.date === date)) return [];
  const period = cal.specialHours.find((p) => p.from <= date && date <= p.to);
  const day = weekdayNames[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
  return ((period ? period.hours : cal.hours)[day] ?? []).map(([s, e]) => {
    const start = Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
    const end = Number(e.slice(0, 2)) * 60 + Number(e.slice(3));
    return [start, end > start ? end : end + 1440];
  });
}
function openReference(cal: Calendar, instant: number): boolean {
  const { date, minutes } = wallClock(cal.timeZone, instant);
  if (shiftsOn(cal, date).some(([s, e]) => s <= minutes && minutes < e)) return true;
  return shiftsOn(cal, previousDate(date)).some(([, e]) => minutes + 1440 < e);
}
function addReference(cal: Calendar, start: number, minutes: number, limit: number): number | null {
  let left = minutes;
  for (let u = start; u < start + limit; u += minute) {
    if (openReference(cal, u) && --left === 0) return u + minute;
  }
  return null;
}

// ---- Generators: calendars of every shape, starts around DST changes in several zones. ----

const zones = [
  'Europe/Berlin',
  'America/Mexico_City',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Asia/Dubai',
  'Europe/London',
];
const around = [
  '2026-03-29T01:00:00Z',
  '2026-10-25T01:00:00Z',
  '2022-04-03T08:00:00Z',
  '2022-10-30T07:00:00Z',
  '2026-03-08T07:00:00Z',
  '2026-11-01T06:00:00Z',
  '2026-04-04T15:00:00Z',
  '2026-10-03T16:00:00Z',
  '2026-06-15T12:00:00Z',
].map(Date.parse);
const time = fc
  .integer({ min: 0, max: 24 * 4 - 1 })
  .map((q) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`);
const oddTime = fc
  .integer({ min: 0, max: 1439 })
  .map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
const shift = fc
  .tuple(fc.oneof(time, oddTime), fc.oneof(time, oddTime, fc.constant('24:00')))
  .filter(([s, e]) => s !== e) as fc.Arbitrary<Shift>;
const week = fc.record(
  Object.fromEntries(weekdays.map((d) => [d, fc.array(shift, { maxLength: 3 })])) as Record<string, fc.Arbitrary<Shift[]>>,
  { requiredKeys: [] },
) as fc.Arbitrary<WeekHours>;
const startOf = fc
  .tuple(fc.constantFrom(...around), fc.integer({ min: -4 * 24 * 60, max: 4 * 24 * 60 }))
  .map(([base, m]) => base + m * minute);
const dateNear = (start: number) => fc.integer({ min: -3, max: 10 }).map((d) => new Date(start + d * 24 * hour).toISOString().slice(0, 10));
const scenario = startOf.chain((start) =>
  fc.record({
    start: fc.constant(start),
    calendar: fc.record({
      timeZone: fc.constantFrom(...zones),
      hours: week,
      holidays: fc.array(
        dateNear(start).map((date) => ({ date, name: 'holiday' })),
        { maxLength: 2 },
      ),
      specialHours: fc.array(
        fc.tuple(dateNear(start), fc.integer({ min: 0, max: 5 }), week).map(([from, days, hours]) => ({
          from,
          to: new Date(Date.parse(from) + days * 24 * hour).toISOString().slice(0, 10),
          hours,
          name: 'special',
        })),
        { maxLength: 1 },
      ),
    }),
  }),
);

describe('business time agrees with a minute-by-minute reference (property test, fixed seed)', () => {
  it('open time between two instants', () =>
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 3 * 24 * 60 }), ({ start, calendar: cal }, minutes) => {
        let expected = 0;
        for (let u = start; u < start + minutes * minute; u += minute) if (openReference(cal, u)) expected += minute;
        expect(businessTimeBetween(cal, new Date(start), new Date(start + minutes * minute))).toBe(expected);
      }),
      { seed: 20261125, numRuns: 120 },
    ));

  it('the instant a business-time target falls due', () =>
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 12 * 60 }), ({ start, calendar: cal }, minutes) => {
        const limit = 21 * 24 * hour;
        const expected = addReference(cal, start, minutes, limit);
        const actual = addBusinessTime(cal, new Date(start), minutes * minute);
        if (expected === null) expect(actual === null || actual.getTime() > start + limit - minute).toBe(true);
        else expect(actual?.toISOString()).toBe(new Date(expected).toISOString());
      }),
      { seed: 20261125, numRuns: 120 },
    ));
});
