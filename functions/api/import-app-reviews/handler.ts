import { composeFromEnv } from '../../shared/platform/composition.ts';
import { importAppReviews } from './import-app-reviews.ts';

export const handler = importAppReviews(composeFromEnv());
