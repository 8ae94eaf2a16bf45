/**
 * The words a ticket is found by: Unicode word boundaries (Intl.Segmenter, which splits Chinese,
 * Japanese and Thai by dictionary, without spaces), folded for case and diacritics so that
 * "bestätigung" and "BESTATIGUNG" are one word. Pure: the same text gives the same words anywhere.
 */
const segmenter = new Intl.Segmenter('und', { granularity: 'word' });

/** Longer "words" are codes or noise; they are cut so a hash of them is still found by the same text. */
export const maxWordLength = 64;

export const foldWord = (word: string): string =>
  word
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .normalize('NFC')
    .slice(0, maxWordLength);

/** The distinct folded words of a text, in order of first appearance. */
export function searchWords(text: string): string[] {
  const words = new Set<string>();
  for (const { segment, isWordLike } of segmenter.segment(text)) {
    if (!isWordLike) continue;
    const folded = foldWord(segment);
    if (folded !== '') words.add(folded);
  }
  return [...words];
}
