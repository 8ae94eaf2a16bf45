import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm start` leaves `<dataDir>/engine.json` while its engine runs, so that command-line tools
 * reach that engine instead of starting a second one on the same files (one process at a time).
 */
const engineFile = (dataDir: string) => join(dataDir, 'engine.json');

export const announceEngine = (dataDir: string, endpoint: string) =>
  writeFileSync(engineFile(dataDir), `${JSON.stringify({ endpoint, pid: process.pid })}\n`);

export const withdrawEngine = (dataDir: string) => rmSync(engineFile(dataDir), { force: true });

export function runningEngine(dataDir: string): string | undefined {
  try {
    const { endpoint, pid } = JSON.parse(readFileSync(engineFile(dataDir), 'utf8')) as { endpoint: string; pid: number };
    process.kill(pid, 0); // throws if that process is gone
    return endpoint;
  } catch {
    return undefined;
  }
}
