/**
 * SLA targets as ISO 8601 durations, in weeks, days, hours, minutes and seconds (PT4H, P1DT12H,
 * P2W). Years and months have no fixed length, so a target cannot use them. A day is 24 hours
 * of the clock the target runs on: of business time when the policy follows business hours.
 */
const durationPattern = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;

const count = '\\d{1,7}';
const timeParts = `T(?:${count}H(?:${count}M)?(?:${count}(?:\\.\\d{1,3})?S)?|${count}M(?:${count}(?:\\.\\d{1,3})?S)?|${count}(?:\\.\\d{1,3})?S)`;
/** The durations `durationMs` reads, up to 7 digits a part (so any sum stays a safe integer of ms), as a pattern without look-ahead (for the OpenAPI document). */
export const durationDocumentPattern = `^P(?:${count}W(?:${count}D)?(?:${timeParts})?|${count}D(?:${timeParts})?|${timeParts})$`;

export function durationMs(text: string): number | null {
  const match = durationPattern.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return null;
  const [, weeks = '0', days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  const ms = ((((Number(weeks) * 7 + Number(days)) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
  return Number.isSafeInteger(Math.round(ms)) ? Math.round(ms) : null;
}
