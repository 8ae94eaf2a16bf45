import { composeFromEnv } from '../shared/platform/composition.ts';
import { observed } from '../shared/platform/observability.ts';
import { projector } from './projector.ts';

const deps = composeFromEnv();
export const handler = observed(deps, projector(deps));
