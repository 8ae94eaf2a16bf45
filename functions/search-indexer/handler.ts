import { composeFromEnv } from '../shared/platform/composition.ts';
import { observed } from '../shared/platform/observability.ts';
import { searchIndexer } from './indexer.ts';

const deps = composeFromEnv();
export const handler = observed(deps, searchIndexer(deps));
