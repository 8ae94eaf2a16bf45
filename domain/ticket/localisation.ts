/** How a message's text runs: right to left for Arabic, Hebrew and the like, else left to right. */
export type TextDirection = 'ltr' | 'rtl';

const rightToLeft =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}\p{Script=Samaritan}\p{Script=Mandaic}]/u;

/** As HTML's dir="auto" decides: by the first letter of the text. */
export function textDirection(text: string): TextDirection {
  const firstLetter = /\p{L}/u.exec(text)?.[0];
  return firstLetter !== undefined && rightToLeft.test(firstLetter) ? 'rtl' : 'ltr';
}

/** The language to answer a requester in: their locale's, else the one detected in what they wrote (lower case), or null. */
export const requesterLanguage = (ticket: { requester: { locale?: string }; language: string | null }): string | null =>
  (ticket.requester.locale?.split('-')[0] ?? ticket.language)?.toLowerCase() ?? null;
