import './local-process.ts';
import { rebuildViews } from '../../functions/projector/rebuild.ts';
import { rebuildSearchIndex } from '../../functions/search-indexer/rebuild.ts';
import type { Deps } from '../../functions/shared/ports/deps.ts';
import { openRegions } from '../cli/regions.ts';

/**
 * `npm run rebuild-views`: folds every ticket and request stream of the events table into the views table again,
 * and indexes every ticket for search again.
 * With EVENTS_TABLE set it works on that one region's tables (AWS, or DYNAMODB_ENDPOINT);
 * otherwise on every local region of MERIDIAN_REGIONS, through the engine `npm start` runs if it
 * does, else DYNAMODB_ENDPOINT's, else one started on MERIDIAN_DATA_DIR.
 */
async function main() {
  const open = await openRegions(process.env);
  try {
    for (const { deps } of open.regions) await rebuild(deps);
  } finally {
    await open.close();
  }
}

async function rebuild(deps: Deps) {
  const started = Date.now();
  const count = await rebuildViews(deps);
  console.log(
    `${deps.config.region} ${deps.config.viewsTable}: ${count} views (tickets and requests) rebuilt in ${Date.now() - started} ms`,
  );
  if (!deps.config.searchTable) return;
  const indexing = Date.now();
  const tickets = await rebuildSearchIndex(deps);
  console.log(`${deps.config.region} ${deps.config.searchTable}: ${tickets} tickets indexed again in ${Date.now() - indexing} ms`);
}

main().catch((error: Error) => {
  console.error(`rebuild-views: ${error.name}: ${error.message}`);
  process.exit(1);
});
