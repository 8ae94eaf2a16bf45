import { composeFromEnv } from '../shared/composition.ts';
import { sequencer } from './sequencer.ts';

export const handler = sequencer(composeFromEnv());
