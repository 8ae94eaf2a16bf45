import type { TicketField } from '../../../domain/setup/vocabulary.ts';
import { referencedField } from '../../../domain/ticket/fields.ts';
import { validationProblem } from '../../shared/platform/http/problem.ts';

/** A value from the query string as its field's type has it; undefined when it cannot be one. */
function typed(field: TicketField, text: string): string | number | boolean | undefined {
  switch (field.type) {
    case 'number': {
      const number = text.trim() === '' ? Number.NaN : Number(text);
      return Number.isFinite(number) ? number : undefined;
    }
    case 'checkbox':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'dropdown':
    case 'multiselect':
      return field.options?.includes(text) ? text : undefined;
    default:
      return text;
  }
}

/**
 * The `field.<key>=value` parameters as queue filters, checked against the tenant's fields: an
 * unknown field, a personal one (its values are sealed) or a value its type cannot hold is 400.
 */
export function fieldFilters(query: Record<string, unknown>, fields: Record<string, TicketField>) {
  const filters: Array<{ key: string; value: string | number | boolean }> = [];
  const errors: Array<{ path: string; location: 'query'; message: string }> = [];
  for (const [name, text] of Object.entries(query)) {
    const key = referencedField(name);
    if (key === null || typeof text !== 'string') continue;
    const field = fields[key];
    const path = `/${name}`;
    if (!field) errors.push({ path, location: 'query', message: 'no such ticket field' });
    else if (field.personalData)
      errors.push({ path, location: 'query', message: 'a personal data field is sealed and cannot be filtered on' });
    else {
      const value = typed(field, text);
      if (value === undefined) errors.push({ path, location: 'query', message: `not a value of this ${field.type} field` });
      else filters.push({ key, value });
    }
  }
  if (errors.length > 0) throw validationProblem(errors);
  return filters.sort((a, b) => a.key.localeCompare(b.key));
}
