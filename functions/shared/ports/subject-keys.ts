import { MeridianError } from '../../../domain/meridian-error.ts';
import type { WriteGuard } from './event-store.ts';
import type { KeyContext } from './key-vault.ts';

/** The handles a data subject is known by: email, phone (also WhatsApp), and each messenger's user id. */
export const contactKinds = ['email', 'phone', 'facebook', 'line', 'telegram', 'app_review'] as const;

/** A contact handle that identifies a data subject within a tenant, e.g. an email address. */
export interface Contact {
  kind: (typeof contactKinds)[number];
  value: string;
}

/** The subject's data key is gone (erased): its sealed values can no longer be opened. */
export class SubjectKeyMissing extends MeridianError {
  constructor(readonly subjectId: string) {
    super(`no data key for subject ${subjectId}`);
  }
}

export interface SubjectKeys {
  /** The subject a contact belongs to, created with a fresh data key on first sight. */
  resolve(tenantId: string, contact: Contact): Promise<string>;
  /** The subject a contact belongs to, if there is one; creates nothing. */
  find(tenantId: string, contact: Contact): Promise<string | null>;
  /**
   * A data key of its own for something that is not a contact, such as one ticket's content, so
   * it can be shredded on its own. Creating one that exists already leaves it as it is.
   */
  create(context: KeyContext): Promise<void>;
  /**
   * A new data key whose item is written in the same transaction as the events that first use it
   * (a ticket's opening), so neither is stored without the other; usable at once for sealing.
   * The transaction fails if the key exists already.
   */
  createWith(context: KeyContext): Promise<WriteGuard>;
  /** Makes another contact (a corrected email) find the subject; false if it belongs to another subject. */
  link(tenantId: string, contact: Contact, subjectId: string): Promise<boolean>;
  /**
   * Counts a ticket the subject opened, once it is stored. A request about the subject waits
   * until the views show as many: they follow the store a moment later. Nothing once erased.
   */
  countTicket(context: KeyContext): Promise<void>;
  /** How many tickets the subject opened since counting began (older tickets are not counted). */
  ticketsOpened(context: KeyContext): Promise<number>;
  /** The subject's plain data key (cached for a short while). */
  dataKey(context: KeyContext): Promise<Uint8Array>;
  /**
   * Crypto-shredding: deletes the wrapped key, so nothing sealed with it opens again. Returns
   * whether there was a key. Other warm processes may hold it in memory for `cacheSeconds`.
   */
  destroy(context: KeyContext): Promise<boolean>;
}
