/**
 * How long each law gives to answer a data-subject request, from its receipt.
 * - GDPR art. 12(3): one month. Counted as EU Regulation 1182/71 counts months: the same day of the
 *   next month, or that month's last day when it has no such day (31 January -> 28/29 February).
 * - CCPA (Cal. Civ. Code 1798.130(a)(2)): 45 calendar days.
 * - PIPL art. 50 asks for a timely answer without a number; the national standard GB/T 35273-2020
 *   (8.7) sets 30 days, which Meridian uses.
 * Extensions (GDPR's two further months, CCPA's 45 days) are the DPO's decision and not automatic.
 */
export const dsarLaws = ['gdpr', 'ccpa', 'pipl'] as const;
export type DsarLaw = (typeof dsarLaws)[number];

const day = 24 * 60 * 60 * 1000;
/** The warning goes out this long before the due time. */
export const warnBeforeMs = 7 * day;

export function dueAt(law: DsarLaw, requestedAt: Date): Date {
  switch (law) {
    case 'gdpr':
      return plusOneMonth(requestedAt);
    case 'ccpa':
      return new Date(requestedAt.getTime() + 45 * day);
    case 'pipl':
      return new Date(requestedAt.getTime() + 30 * day);
  }
}

/** The same day and time of the next month (UTC), clamped to that month's last day. */
export function plusOneMonth(from: Date): Date {
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(from);
  result.setUTCFullYear(year, month, Math.min(from.getUTCDate(), lastDay));
  return result;
}

export const warnAt = (due: Date): Date => new Date(due.getTime() - warnBeforeMs);
