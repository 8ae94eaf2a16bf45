import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HeadDigest } from '../../events/region-log.ts';
import { type DigestStore, digestName } from '../../functions/shared/ports/digest-store.ts';

/** Locally, the Object Lock bucket is a folder under the data folder: `<dataDir>/audit/<region>/digests`. */
export function fileDigestStore(dir: string): DigestStore {
  return {
    async put(digest) {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, digestName(digest)), `${JSON.stringify(digest, null, 2)}\n`, { flag: 'wx', mode: 0o444 });
    },
    async latest() {
      const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.json')).sort();
      return names[0] ? (JSON.parse(await readFile(join(dir, names[0]), 'utf8')) as HeadDigest) : null;
    },
  };
}

export const localDigestDir = (dataDir: string, region: string) => join(dataDir, 'audit', region, 'digests');
