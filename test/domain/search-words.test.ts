import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldWord, maxWordLength, searchWords } from '../../domain/ticket/search-words.ts';

describe('the words a ticket is found by', () => {
  it('folds case and diacritics', () => {
    expect(searchWords('Bestätigung')).toEqual(searchWords('BESTATIGUNG'));
    expect(searchWords('Crème brûlée, ÇA VA?')).toEqual(['creme', 'brulee', 'ca', 'va']);
    expect(foldWord('Ångström')).toBe('angstrom');
  });
  it('splits Chinese, Japanese and Thai without spaces', () => {
    expect(searchWords('我想申请退款，订单没有到')).toContain('退款');
    expect(searchWords('注文した商品が届きません')).toContain('商品');
    expect(searchWords('สินค้ายังไม่มาถึง')).toContain('สินค้า');
  });
  it('keeps words, not punctuation or spaces, each once', () => {
    expect(searchWords(' -- , . ! ')).toEqual([]);
    expect(searchWords('refund refund REFUND')).toEqual(['refund']);
    expect(searchWords('order #1234-B')).toEqual(['order', '1234', 'b']);
  });
  it('cuts a very long word, so the same text still finds it', () => {
    const long = 'x'.repeat(500);
    expect(searchWords(long)).toEqual(['x'.repeat(maxWordLength)]);
  });
  it('a word of any part of a text is a word of the text, in any case (property)', () =>
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-zA-Z0-9àáâäçèéêëìíîïñòóôöùúûüÀÉÖÜ]{1,12}$/), { minLength: 1, maxLength: 20 }),
        (parts) => {
          const text = parts.join(' ');
          const words = new Set(searchWords(text));
          for (const part of parts) for (const word of searchWords(part)) expect(words.has(word)).toBe(true);
          expect(searchWords(text.toUpperCase())).toEqual(searchWords(text));
        },
      ),
      { seed: 20261201, numRuns: 200 },
    ));
  it('keeps the marks of scripts whose marks are letters', () => {
    expect(foldWord('สินค้า')).toBe('สินค้า');
    expect(foldWord('が')).toBe('が');
  });
});
