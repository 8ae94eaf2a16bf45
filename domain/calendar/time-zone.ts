/**
 * UTC offsets of an IANA time zone from the platform's tz database (Intl), and the instants where
 * they change. Pure: the database is part of the runtime, like the Date type.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterOf = (timeZone: string) => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

let canonicalZones: readonly string[] | undefined;
/**
 * The runtime's canonical IANA zone names, and UTC. `isTimeZone` also takes their aliases
 * (Asia/Calcutta). Listed on first call: only the OpenAPI document needs it, and listing takes
 * about 5 ms, too much for every cold start that imports this module.
 */
export const ianaTimeZones = (): readonly string[] =>
  (canonicalZones ??= [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])].sort());

export const isTimeZone = (timeZone: string): boolean => {
  try {
    formatterOf(timeZone);
    return true;
  } catch {
    return false;
  }
};

/** Wall-clock time minus UTC at an instant, in ms. */
export function offsetAt(timeZone: string, instant: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(new Date(instant)))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}

export interface OffsetSegment {
  from: number;
  to: number;
  offset: number;
}

/** Zones change offset at most a few times a year, never twice within this step. */
const sampleStep = 6 * 60 * 60 * 1000;

/** [from, to) split where the zone's offset changes, each part with its offset. */
export function offsetSegments(timeZone: string, from: number, to: number): OffsetSegment[] {
  const segments: OffsetSegment[] = [];
  let start = from;
  let offset = offsetAt(timeZone, from);
  for (let probe = from; probe < to; ) {
    const next = Math.min(probe + sampleStep, to);
    const nextOffset = offsetAt(timeZone, next === to ? to - 1 : next);
    if (nextOffset !== offset) {
      // The change lies in (probe, next]: find the first instant with the new offset.
      let low = probe;
      let high = next === to ? to - 1 : next;
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (offsetAt(timeZone, middle) === offset) low = middle;
        else high = middle;
      }
      segments.push({ from: start, to: high, offset });
      start = high;
      offset = offsetAt(timeZone, high);
    }
    probe = next;
  }
  segments.push({ from: start, to, offset });
  return segments;
}
