import { publicHandler } from '../../shared/platform/http/api-handler.ts';
import type { Deps } from '../../shared/ports/deps.ts';

export const health = (deps: Deps) =>
  publicHandler(deps, async () => ({ status: 200, body: { status: 'ok', region: deps.config.region } }));
