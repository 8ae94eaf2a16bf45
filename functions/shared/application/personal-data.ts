import type { TicketEventType } from '../../../domain/ticket/events.ts';
import { type FieldPath, personalFields, ticketViewPersonalFields } from '../../../events/personal-data.ts';
import { isSealed, open, seal, sealedSubject } from '../platform/sealing.ts';
import type { PersonalData } from '../ports/personal-data.ts';
import { SubjectKeyMissing, type SubjectKeys } from '../ports/subject-keys.ts';

type Json = Record<string, unknown>;

/** A copy of `value` with the strings at `paths` replaced by `change` (absent fields stay absent; `*` is every key). */
export async function mapFields<T>(value: T, paths: readonly FieldPath[], change: (text: string) => Promise<string | null>): Promise<T> {
  const copy = structuredClone(value) as Json;
  const visit = async (node: Json | undefined, path: readonly string[]): Promise<void> => {
    if (!node || typeof node !== 'object') return;
    const [name, ...rest] = path;
    for (const key of name === '*' ? Object.keys(node) : [name!]) {
      if (rest.length > 0) await visit(node[key] as Json | undefined, rest);
      else if (typeof node[key] === 'string') node[key] = await change(node[key]);
    }
  };
  for (const path of paths) await visit(copy, path);
  return copy as T;
}

const fieldsOf = (type: string) => personalFields[type as TicketEventType] ?? [];

/**
 * A stored value opened with the key it names; text that was never sealed as it is; null when
 * that key was destroyed (shredded: the value is gone for good, and readers are shown so).
 */
export async function openSealed(keys: SubjectKeys, tenantId: string, text: string): Promise<string | null> {
  if (!isSealed(text)) return text;
  try {
    return open(text, await keys.dataKey({ tenantId, subjectId: sealedSubject(text)! }), tenantId);
  } catch (error) {
    if (error instanceof SubjectKeyMissing) return null;
    throw error;
  }
}

export function personalData(keys: SubjectKeys): PersonalData {
  const opener = (tenantId: string) => (text: string) => openSealed(keys, tenantId, text);
  return {
    async seal(tenantId, keyIds, event) {
      const fields = fieldsOf(event.type);
      if (fields.length === 0) return event;
      let data = event.data;
      for (const scope of ['requester', 'ticket'] as const) {
        const paths = fields.filter((field) => field.key === scope).map((field) => field.path);
        if (paths.length === 0) continue;
        const keyId = keyIds[scope];
        if (!keyId) throw new Error(`${event.type} carries personal data but has no ${scope} key to seal it with`);
        const key = await keys.dataKey({ tenantId, subjectId: keyId });
        data = await mapFields(data, paths, async (text) => seal(text, key, tenantId, keyId));
      }
      return { ...event, data } as typeof event;
    },
    async openEvent(event) {
      const fields = fieldsOf(event.type);
      if (fields.length === 0) return event;
      return {
        ...event,
        data: await mapFields(
          event.data,
          fields.map((field) => field.path),
          opener(event.tenantId),
        ),
      };
    },
    async openTicket(ticket) {
      const opened = await mapFields(ticket, ticketViewPersonalFields, opener(ticket.tenantId));
      // A custom field whose value was shredded reads as the stream does: absent.
      return { ...opened, fields: Object.fromEntries(Object.entries(opened.fields ?? {}).filter(([, value]) => value !== null)) };
    },
  };
}
