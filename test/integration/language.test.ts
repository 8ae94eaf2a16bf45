import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../functions/shared/platform/language.ts';

describe('language detection (ELD)', () => {
  it.each([
    ['Where is my parcel? It was due last week and tracking shows nothing.', 'en'],
    ['Wo ist mein Paket? Es sollte letzte Woche ankommen, die Sendungsverfolgung zeigt nichts.', 'de'],
    ['أين طردي؟ كان من المفترض أن يصل الأسبوع الماضي', 'ar'],
    ['荷物はどこですか？先週届くはずでした。', 'ja'],
  ])('%s is %s', (text, language) => expect(detectLanguage(text)).toBe(language));

  it('says nothing it cannot tell', () => {
    expect(detectLanguage('Hi')).toBeNull();
    expect(detectLanguage('12345')).toBeNull();
    expect(detectLanguage('')).toBeNull();
  });
});
