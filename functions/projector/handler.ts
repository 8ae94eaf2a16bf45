import { composeFromEnv } from '../shared/composition.ts';
import { observed } from '../shared/observability.ts';
import { projector } from './projector.ts';

const deps = composeFromEnv();
export const handler = observed(deps, projector(deps));
