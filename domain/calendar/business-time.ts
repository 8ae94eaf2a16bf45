import { alwaysOpen, type Calendar, shiftsStarting } from './calendar.ts';
import { offsetSegments } from './time-zone.ts';

const minuteMs = 60 * 1000;
const dayMs = 24 * 60 * minuteMs;
/** No zone is further than this from UTC. */
const maxOffsetMs = 15 * 60 * minuteMs;
/** How far ahead business time is looked for: a calendar closed for longer never reaches a target. */
export const horizonDays = 400;

export type Interval = readonly [from: number, to: number];

/**
 * The instants in [from, to) at which the calendar is open, as sorted, disjoint UTC intervals.
 * An instant is open when its wall-clock time in the calendar's zone lies in a shift. Per shift,
 * and per stretch of constant UTC offset, that is one interval: so a shift across a DST change is
 * exactly as long as the clocks say, and a wall time that happens twice (fall back) counts twice.
 */
export function openIntervals(calendar: Calendar, from: number, to: number): Interval[] {
  if (calendar === alwaysOpen) return from < to ? [[from, to]] : [];
  const segments = offsetSegments(calendar.timeZone, from - dayMs - maxOffsetMs, to + dayMs + maxOffsetMs);
  const firstDay = Math.floor((from - maxOffsetMs) / dayMs) - 1;
  const lastDay = Math.floor((to + maxOffsetMs) / dayMs);
  const found: Array<[number, number]> = [];
  for (let day = firstDay; day <= lastDay; day++) {
    for (const [start, end] of shiftsStarting(calendar, day)) {
      const wallFrom = day * dayMs + start * minuteMs;
      const wallTo = day * dayMs + end * minuteMs;
      for (const segment of segments) {
        const a = Math.max(wallFrom - segment.offset, segment.from, from);
        const b = Math.min(wallTo - segment.offset, segment.to, to);
        if (a < b) found.push([a, b]);
      }
    }
  }
  return merge(found);
}

function merge(intervals: Array<[number, number]>): Interval[] {
  intervals.sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const [a, b] of intervals) {
    const last = merged.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

export const isOpen = (calendar: Calendar, at: Date): boolean => openIntervals(calendar, at.getTime(), at.getTime() + 1).length > 0;

/** Open time in [from, to), in ms. */
export const businessTimeBetween = (calendar: Calendar, from: Date, to: Date): number =>
  openIntervals(calendar, from.getTime(), to.getTime()).reduce((sum, [a, b]) => sum + (b - a), 0);

/**
 * The instant at which `durationMs` of open time has passed since `start`: an SLA target's due
 * time. Null when the calendar does not open for that long within the horizon.
 */
export function addBusinessTime(calendar: Calendar, start: Date, durationMs: number): Date | null {
  let remaining = durationMs;
  const chunk = 14 * dayMs;
  for (let from = start.getTime(); from < start.getTime() + horizonDays * dayMs; from += chunk) {
    for (const [a, b] of openIntervals(calendar, from, from + chunk)) {
      if (b - a >= remaining) return new Date(a + remaining);
      remaining -= b - a;
    }
  }
  return null;
}
