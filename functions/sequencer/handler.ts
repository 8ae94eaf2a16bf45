import { composeFromEnv } from '../shared/platform/composition.ts';
import { observed } from '../shared/platform/observability.ts';
import { sequencer } from './sequencer.ts';

const deps = composeFromEnv();
export const handler = observed(deps, sequencer(deps));
