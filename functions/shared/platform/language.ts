import { eld } from 'eld/extrasmall';

/**
 * The language a text is written in, as a BCP 47 primary subtag ('de', 'ar', 'ja'), detected by
 * ELD (60 languages); null when the detector is not confident, as for "Hi" or "ok".
 */
export function detectLanguage(text: string): string | null {
  const result = eld.detect(text);
  return result.language !== '' && result.isReliable() ? result.language : null;
}
