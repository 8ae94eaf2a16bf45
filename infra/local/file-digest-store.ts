import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DigestStore, digestName, signatureName, storedDigest } from '../../functions/shared/ports/digest-store.ts';

/** Locally, the Object Lock bucket is a folder under the data folder: `<dataDir>/audit/<region>/digests`. */
export function fileDigestStore(dir: string): DigestStore {
  const names = async () => (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.json')).sort();
  const load = async (name: string) => {
    const signature = await readFile(join(dir, signatureName(name))).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null; // written before digests were signed
      throw error;
    });
    return storedDigest(await readFile(join(dir, name), 'utf8'), signature);
  };
  return {
    async put({ digest, text, signature }) {
      await mkdir(dir, { recursive: true });
      const name = digestName(digest);
      await writeFile(join(dir, signatureName(name)), signature, { flag: 'wx', mode: 0o444 });
      await writeFile(join(dir, name), text, { flag: 'wx', mode: 0o444 });
    },
    async latest() {
      const [newest] = await names();
      return newest ? load(newest) : null;
    },
    async all() {
      return Promise.all((await names()).map(load));
    },
  };
}

export const localDigestDir = (dataDir: string, region: string) => join(dataDir, 'audit', region, 'digests');
