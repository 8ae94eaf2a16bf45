import type { TicketField } from '../setup/vocabulary.ts';

/** A custom field's value: text or a date (YYYY-MM-DD) or a dropdown option, a number, a checkbox, multiselect options. */
export type FieldValue = string | number | boolean | string[];
export type FieldValues = Record<string, FieldValue>;
/** A change to a ticket's fields: null clears one. */
export type FieldChanges = Record<string, FieldValue | null>;
export interface FieldError {
  field: string;
  message: string;
}

export const maxFieldTextLength = 10_000;

/** How a query names a custom field, as a filter or a metrics grouping: `field.<key>`. */
export const fieldReferencePrefix = 'field.';
/** The key a `field.<key>` reference names, or null for any other name. */
export const referencedField = (name: string): string | null =>
  name.startsWith(fieldReferencePrefix) ? name.slice(fieldReferencePrefix.length) : null;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

const isDate = (text: string) => {
  const match = datePattern.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
};

/** Why a value does not fit its field, or null when it does. */
function misfit(field: TicketField, value: FieldValue): string | null {
  switch (field.type) {
    case 'text':
      return typeof value === 'string' && value.length <= maxFieldTextLength ? null : `text of at most ${maxFieldTextLength} characters`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'a number';
    case 'date':
      return typeof value === 'string' && isDate(value) ? null : 'a date, YYYY-MM-DD';
    case 'checkbox':
      return typeof value === 'boolean' ? null : 'true or false';
    case 'dropdown':
      return typeof value === 'string' && field.options?.includes(value) ? null : `one of ${field.options?.join(', ')}`;
    case 'multiselect':
      return Array.isArray(value) && value.every((option) => field.options?.includes(option))
        ? null
        : `a list of ${field.options?.join(', ')}`;
  }
}

/**
 * What is wrong with these values for the tenant's fields: an unknown (or deleted) field, a value
 * of the wrong type or option, a required field cleared, or, for a new ticket, left out.
 */
export function fieldErrors(
  definitions: Record<string, TicketField>,
  changes: FieldChanges,
  { opening }: { opening: boolean },
): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(changes)) {
    const field = definitions[key];
    if (!field) errors.push({ field: key, message: 'no such ticket field' });
    else if (value === null) {
      if (field.required) errors.push({ field: key, message: 'required: it cannot be cleared' });
    } else {
      const message = misfit(field, value);
      if (message) errors.push({ field: key, message: `${field.title}: ${message}` });
    }
  }
  if (opening) {
    for (const field of Object.values(definitions)) {
      if (field.required && (changes[field.key] === undefined || changes[field.key] === null))
        errors.push({ field: field.key, message: `${field.title} is required` });
    }
  }
  return errors;
}

/** The changes as stored: personal values (text, dates) apart, to be sealed with the ticket's key. */
export function splitFields(definitions: Record<string, TicketField>, changes: FieldChanges) {
  const values: FieldChanges = {};
  const personal: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(changes)) {
    const normal = Array.isArray(value) ? [...new Set(value)] : value;
    if (definitions[key]?.personalData) personal[key] = normal as string | null;
    else values[key] = normal;
  }
  return { values, personal };
}

/** Whether a ticket's value is one of those a rule or policy condition lists (a multiselect: any of its options). */
export function fieldMatches(wanted: Array<string | number | boolean>, actual: FieldValue | undefined): boolean {
  if (actual === undefined) return false;
  return Array.isArray(actual) ? actual.some((option) => wanted.includes(option)) : wanted.includes(actual);
}

/** Every listed field's condition holds. */
export const fieldsMatch = (conditions: Record<string, Array<string | number | boolean>> | undefined, fields: FieldValues): boolean =>
  Object.entries(conditions ?? {}).every(([key, wanted]) => fieldMatches(wanted, fields[key]));
