import { composeFromEnv } from '../../shared/composition.ts';
import { importAppReviews } from './import-app-reviews.ts';

export const handler = importAppReviews(composeFromEnv());
