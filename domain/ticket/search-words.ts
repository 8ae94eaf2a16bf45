/**
 * The words a ticket is found by: Unicode word boundaries (Intl.Segmenter, which splits Chinese,
 * Japanese and Thai by dictionary, without spaces), folded for case and diacritics so that
 * "bestätigung" and "BESTATIGUNG" are one word. Pure: the same text gives the same words anywhere.
 */
const segmenter = new Intl.Segmenter('und', { granularity: 'word' });

/** Longer "words" are codes or noise; they are cut so a hash of them is still found by the same text. */
export const maxWordLength = 64;

/**
 * Lower case, without the accents of Latin, Greek and Cyrillic letters (the combining diacritics
 * NFKD splits off). The marks of other scripts are parts of their letters: Thai vowels, dakuten.
 */
export const foldWord = (word: string): string =>
  word
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]+/g, '')
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
