import * as z from 'zod';
import { isTimeZone } from '../../../domain/calendar/time-zone.ts';
import { countryCodes } from '../../../domain/countries.ts';
import { sha256HexPattern } from '../../../events/hash-chain.ts';

/** Field schemas every resource uses: countries, locales, time zones, text, e-mail, tags, agent references, and the conditional-request headers. */

const canonicalLocale = (tag: string) => {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
};

/** The codes of `domain/countries.ts`, in any case. */
export const countrySchema = z
  .preprocess(
    (code) => (typeof code === 'string' ? code.toUpperCase() : code),
    z.enum(countryCodes, { error: 'must be an ISO 3166-1 alpha-2 country code' }),
  )
  .meta({ id: 'Country', description: 'ISO 3166-1 alpha-2 (upper case here; lower case is accepted too)', example: 'DE' });
export const localeSchema = z
  .string()
  .max(35)
  .transform((tag, ctx) => canonicalLocale(tag) ?? (ctx.addIssue({ code: 'custom', message: 'must be a BCP 47 language tag' }), z.NEVER))
  .meta({
    description:
      'BCP 47 language tag: language[-Script][-REGION] as the pattern says; other well-formed tags (variants, extensions) are accepted too',
    example: 'de-DE',
    pattern: '^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?$',
  });
/** The document lists the zones (openapi/document.ts): listing them here would cost every handler's cold start. */
export const timeZoneSchema = z.string().max(64).refine(isTimeZone, 'must be an IANA time zone').meta({
  id: 'TimeZone',
  description: "IANA time zone: the runtime's canonical names listed here; their aliases are accepted too",
  example: 'Europe/Berlin',
});
export const tagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[\p{Ll}\p{Lo}\p{N}][\p{Ll}\p{Lo}\p{N}_:./-]{0,79}$/u, 'a tag is 1-80 lower-case letters, digits or _:./- and no spaces');
export const agentRef = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[^#\s]+$/, 'no spaces or #');
/** An e-mail address as zod checks it; the document carries the same pattern beside format: email. */
export const emailSchema = () => z.email().max(254).meta({ pattern: z.regexes.email.source });
/** Free text: surrounding white space is trimmed, and something must be left (the document says so as a pattern). */
/** A SHA-256 as the stored form writes it: 64 lowercase hex digits. */
export const sha256Hash = z.string().regex(sha256HexPattern);

export const text = (max: number) => z.string().regex(/\S/, 'is not blank').trim().max(max);

export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'an Idempotency-Key is 1-255 visible ASCII characters')
  .meta({ description: 'Repeat a POST safely: same key and body, same answer (kept 24 h)' });

/** If-Match and If-None-Match as RFC 9110 has them: * or a list of entity tags. */
const entityTags = () =>
  z.string().regex(/^(\*|(W\/)?"[\x21\x23-\x7e]*"( *, *(W\/)?"[\x21\x23-\x7e]*")*)$/, 'must be * or a list of entity tags such as "3"');
export const ifMatchSchema = entityTags().meta({
  description: 'The ETag you read (e.g. "3"), a list of them, or *; weak tags never match; 412 if the version moved on',
});
export const ifNoneMatchSchema = entityTags().meta({ description: 'The ETag you hold: 304 while the ticket is still at that version' });

/** A personal value: null once erased (its data key destroyed). */
export const erasable = z.string().nullable();

export const listOf = <T extends z.ZodType>(item: T, id: string) => z.object({ items: z.array(item) }).meta({ id });
