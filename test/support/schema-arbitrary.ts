import fc from 'fast-check';

/**
 * fast-check arbitraries built from the JSON Schemas (2020-12) of an OpenAPI 3.1 document: the
 * subset that document uses (types, enum/const, string length, pattern and format, number ranges,
 * arrays with items or prefixItems, objects with required and optional properties, anyOf/oneOf,
 * $ref). They aim at valid values; the caller keeps only what Ajv says is valid, so a constraint
 * this does not steer by (if/then, uniqueItems, minProperties) only costs a discarded run.
 * Built on fast-check (already this project's property-test library) rather than json-schema-faker
 * or openapi-sampler: a failing request shrinks to a small one, and the seed replays it.
 */
export type Schema = Record<string, any>;

/** Long strings prove nothing more than short ones here and slow every request. */
const longestString = 48;
const longestArray = 4;

export function arbitraryOf(schema: Schema | boolean, document: Schema, hints: Hints = {}): fc.Arbitrary<unknown> {
  if (schema === true || (typeof schema === 'object' && Object.keys(schema).length === 0)) return fc.jsonValue({ maxDepth: 1 });
  if (schema === false) throw new Error('no value fits the schema false');
  if (schema.$ref) return arbitraryOf(resolve(schema.$ref, document), document, hints);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((alternative: Schema) => arbitraryOf(alternative, document, hints)));
  const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type ?? inferType(schema)];
  return fc.oneof(...types.map((type) => ofType(type, schema, document, hints)));
}

/** Values to prefer for named properties (an existing item's id, the region's own country), beside random ones. */
export type Hints = Record<string, fc.Arbitrary<unknown>>;

export function resolve(ref: string, document: Schema): Schema {
  if (!ref.startsWith('#/')) throw new Error(`only local references: ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((node, part) => node[part], document);
}

const inferType = (schema: Schema) => (schema.properties ? 'object' : schema.items || schema.prefixItems ? 'array' : 'string');

function ofType(type: string, schema: Schema, document: Schema, hints: Hints): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringOf(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return arrayOf(schema, document, hints);
    case 'object':
      return objectOf(schema, document, hints);
    default:
      throw new Error(`no arbitrary for type ${type}`);
  }
}

function stringOf(schema: Schema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? longestString, longestString));
  const fits = (text: string) => text.length >= minLength && text.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY);
  const pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : null;
  if (schema.format === 'date-time') return isoInstant().map((at) => at.toISOString());
  if (schema.format === 'date') return isoInstant().map((at) => at.toISOString().slice(0, 10));
  if (schema.format === 'email') return fc.emailAddress().filter((email) => fits(email) && (!pattern || pattern.test(email)));
  if (schema.format === 'uri') return fc.webUrl();
  if (pattern) return fc.stringMatching(pattern).filter(fits);
  return fc.string({ minLength, maxLength, unit: 'grapheme' });
}

const isoInstant = () => fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true });

function arrayOf(schema: Schema, document: Schema, hints: Hints): fc.Arbitrary<unknown[]> {
  if (Array.isArray(schema.prefixItems)) return fc.tuple(...schema.prefixItems.map((item: Schema) => arbitraryOf(item, document, hints)));
  const minLength = schema.minItems ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? longestArray, longestArray));
  return fc.array(arbitraryOf(schema.items ?? {}, document, hints), { minLength, maxLength });
}

function objectOf(schema: Schema, document: Schema, hints: Hints): fc.Arbitrary<Record<string, unknown>> {
  const properties: Record<string, Schema> = schema.properties ?? {};
  const required = new Set<string>(schema.required ?? []);
  const valueOf = (name: string, property: Schema) => {
    const random = arbitraryOf(property, document, hints);
    return hints[name] ? fc.oneof({ weight: 3, arbitrary: hints[name] }, { weight: 1, arbitrary: random }) : random;
  };
  const model = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, valueOf(name, property)]));
  const known = fc.record(model, { requiredKeys: [...required].filter((name) => name in properties) });
  if (schema.additionalProperties === false || schema.additionalProperties === undefined || Object.keys(properties).length > 0)
    return known;
  const extra = schema.additionalProperties === true ? {} : schema.additionalProperties;
  return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), arbitraryOf(extra, document, hints), { maxKeys: 3 });
}
