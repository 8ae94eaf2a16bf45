import type { OpenTicket } from '../../domain/ticket/commands.ts';

/** An agent of tenant acme writing through the command path below HTTP. */
export const agentContext = { tenantId: 'acme', actor: { type: 'user' as const, id: 'agent-1' }, correlationId: 'c', causationId: 'r' };

/** Opens a ticket in eu-central-1 for a requester in Germany; `overrides` change what a test reads. */
export const opening = (ticketId: string, subjectId: string, overrides: Partial<OpenTicket> = {}): OpenTicket => ({
  type: 'OpenTicket',
  ticketId,
  subject: 's',
  description: 'd',
  channel: 'chat',
  requester: { subjectId, email: 'r@example.com', name: 'R', country: 'DE' },
  priority: 'normal',
  tags: [],
  fields: {},
  requiredFieldsApply: true,
  language: null,
  region: 'eu-central-1',
  residency: {},
  ...overrides,
});
