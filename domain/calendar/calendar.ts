/**
 * A team's working calendar: weekly shifts in the team's IANA time zone, holidays and special
 * periods (shorter hours during Ramadan, say). Shift times are wall-clock times of that zone; a
 * shift whose end is not after its start runs overnight into the next day, and belongs to the
 * day it starts on (a holiday stops the shifts that start on it).
 */
export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

/** ["09:00", "17:00"]; "24:00" may end a shift. */
export type Shift = readonly [start: string, end: string];
export type WeekHours = Partial<Record<Weekday, readonly Shift[]>>;

export interface Calendar {
  timeZone: string;
  hours: WeekHours;
  /** Local dates (YYYY-MM-DD) on which no shift starts. */
  holidays: ReadonlyArray<{ date: string; name: string }>;
  /** From and to are local dates, both included; the period's hours replace the weekly ones. */
  specialHours: ReadonlyArray<{ from: string; to: string; hours: WeekHours; name: string }>;
}

/** Open all the time: SLA clocks that do not follow business hours. */
export const alwaysOpen: Calendar = {
  timeZone: 'UTC',
  hours: Object.fromEntries(weekdays.map((day) => [day, [['00:00', '24:00']]])) as WeekHours,
  holidays: [],
  specialHours: [],
};

export const shiftTimePattern = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
export const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

const dayMs = 24 * 60 * 60 * 1000;
/** Local date number (days since 1970-01-01) as YYYY-MM-DD, and its weekday. */
export const isoDateOf = (day: number): string => new Date(day * dayMs).toISOString().slice(0, 10);
export const weekdayOf = (day: number): Weekday => weekdays[(((day + 3) % 7) + 7) % 7]!;
export const dayOf = (isoDate: string): number => Date.parse(`${isoDate}T00:00:00Z`) / dayMs;

/** The shifts that start on a local date, as wall-clock minute ranges of that date (end may pass 24:00). */
export function shiftsStarting(calendar: Calendar, day: number): Array<[number, number]> {
  const date = isoDateOf(day);
  if (calendar.holidays.some((holiday) => holiday.date === date)) return [];
  const special = calendar.specialHours.find((period) => period.from <= date && date <= period.to);
  const shifts = (special ? special.hours : calendar.hours)[weekdayOf(day)] ?? [];
  return shifts.map(([start, end]) => {
    const from = minutesOf(start);
    const to = minutesOf(end);
    return [from, to > from ? to : to + 24 * 60];
  });
}
