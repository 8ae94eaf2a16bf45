import type { CommandContext } from '../shared/application/commands.ts';
import type { ApiRequest } from '../shared/platform/http/api-handler.ts';

export const commandContext = (request: ApiRequest<unknown, unknown, unknown>): CommandContext => ({
  tenantId: request.principal.tenantId,
  actor: { type: 'user', id: request.principal.sub },
  correlationId: request.correlationId,
  causationId: request.requestId,
});
