import { createHash } from 'node:crypto';
import { homeRegionOf } from '../../../domain/residency.ts';
import { type Outcome, receive } from '../../shared/application/intake.ts';
import { apiHandler } from '../../shared/platform/http/api-handler.ts';
import type { Deps } from '../../shared/ports/deps.ts';
import { appReviewImport } from '../schemas/channels.ts';

/**
 * App-store reviews, imported by an integrator (App Store Connect, Google Play): each review is
 * its own conversation, so an edited review adds its new text to the review's ticket and an
 * unchanged one changes nothing. Low ratings open as high priority. Reviews whose country lives
 * in another region are not stored here; their ids come back under `otherRegion`.
 */
export const importAppReviews = (deps: Deps) =>
  apiHandler(deps, { permission: 'tickets:write', body: appReviewImport }, async (request) => {
    const { tenantId } = request.principal;
    const { store, app, reviews } = request.body;
    const residency = deps.config.tenantResidency[tenantId] ?? {};
    const counts: Record<Outcome, number> = { opened: 0, added: 0, unchanged: 0 };
    const otherRegion: string[] = [];
    for (const review of reviews) {
      if (homeRegionOf(review.country, residency) !== deps.config.region) {
        otherRegion.push(review.id);
        continue;
      }
      const text = review.title ? `${review.title}\n\n${review.text}` : review.text;
      const version = createHash('sha256').update(`${review.rating}\n${text}`).digest('hex').slice(0, 16);
      const outcome = await receive(
        deps,
        {
          tenantId,
          channel: 'app_review',
          country: review.country,
          receiver: 'app-review-import',
          correlationId: request.correlationId,
          tags: ['app-review', store, `rating-${review.rating}`],
          priority: review.rating <= 2 ? 'high' : 'normal',
        },
        {
          // A new version of the review (edited text or rating) is a new message on its ticket.
          externalId: `${store}:${app}:${review.id}:${version}`,
          contact: { kind: 'app_review', value: `${store}:${app}:${review.id}` },
          name: review.author,
          text,
          subject: review.title ?? undefined,
          language: review.language,
          country: review.country,
        },
      );
      counts[outcome] += 1;
    }
    return { status: 200, body: { imported: counts.opened, updated: counts.added, unchanged: counts.unchanged, otherRegion } };
  });
