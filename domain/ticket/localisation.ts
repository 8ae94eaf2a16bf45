/** How a message's text runs: right to left for Arabic, Hebrew and the like, else left to right. */
export type TextDirection = 'ltr' | 'rtl';

const rightToLeft =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}\p{Script=Samaritan}\p{Script=Mandaic}]/u;

/** As HTML's dir="auto" decides: by the first letter of the text. */
export function textDirection(text: string): TextDirection {
  const firstLetter = /\p{L}/u.exec(text)?.[0];
  return firstLetter !== undefined && rightToLeft.test(firstLetter) ? 'rtl' : 'ltr';
}
