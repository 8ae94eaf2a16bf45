import type { HomeRegion } from '../residency.ts';
import type { FieldError } from './fields.ts';
import type { TicketStatus } from './vocabulary.ts';

/** Why the ticket refuses a command. Adapters map these to protocol errors; the domain knows no HTTP. */
export type TicketError =
  | { code: 'ticket_not_found' }
  | { code: 'ticket_already_exists' }
  | { code: 'wrong_region'; homeRegion: HomeRegion }
  | { code: 'ticket_closed' }
  | { code: 'ticket_erased' }
  | { code: 'retention_not_due' }
  | { code: 'not_solved' }
  | { code: 'illegal_transition'; from: TicketStatus; to: TicketStatus }
  | { code: 'assignee_required' }
  | { code: 'requester_internal_note' }
  /** Custom field values that do not fit the tenant's fields, each named. */
  | { code: 'invalid_fields'; errors: FieldError[] }
  /** Merged into another ticket: writes go to the target. */
  | { code: 'ticket_merged'; mergedInto: string }
  | { code: 'merge_into_itself' }
  | { code: 'link_to_itself' }
  | { code: 'too_many_links'; limit: number }
  | { code: 'link_not_found' }
  | { code: 'macro_not_found' };
