import { composeFromEnv } from '../shared/composition.ts';
import { observed } from '../shared/observability.ts';
import { sequencer } from './sequencer.ts';

const deps = composeFromEnv();
export const handler = observed(deps, sequencer(deps));
