import type { Deps } from '../../shared/composition.ts';
import { publicHandler } from '../../shared/http/api-handler.ts';

export const health = (deps: Deps) =>
  publicHandler(deps, async () => ({ status: 200, body: { status: 'ok', region: deps.config.region } }));
