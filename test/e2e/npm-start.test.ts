import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/engine.ts';
import { call, newTicket } from '../support/runtime.ts';

const run = promisify(execFile);

/** `npm start` exactly as a user runs it; stopped as Ctrl-C stops it (the whole process group). */
function npmStart(env: NodeJS.ProcessEnv) {
  const child = spawn('npm', ['start'], { env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const ready = new Promise<string[]>((done, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      lines.push(
        ...chunk
          .toString()
          .split('\n')
          .filter((line) => /^[a-z]{2}-\w+-\d http:/.test(line)),
      );
      if (lines.length === 2) done(lines);
    });
    child.once('exit', (code) => fail(new Error(`npm start exited with ${code}: ${stderr}`)));
  });
  return { child, ready, stderr: () => stderr };
}

/** A port free now whose next one is free too: the runtime listens on PORT and PORT + 1. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    const next = await new Promise<boolean>((done) => {
      const probe = createServer();
      probe.once('error', () => done(false));
      probe.listen(port + 1, '127.0.0.1', () => probe.close(() => done(true)));
    });
    if (next) return port;
  }
}

/**
 * `npm start` on two free ports. Another test's process may take one between the probe and the
 * listen (the suite runs files in parallel): then it starts again on another pair.
 */
async function startOnFreePorts(env: NodeJS.ProcessEnv) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePortPair();
    const started = npmStart({ ...env, PORT: String(port) });
    try {
      return { ...started, port, lines: await started.ready };
    } catch (error) {
      if (attempt === 5 || !/EADDRINUSE/.test((error as Error).message)) throw error;
      // What it started before the listen failed (the engine) goes with its group.
      if (groupAlive(started.child.pid!)) await stop(started.child, 'SIGKILL');
    }
  }
}

const groupAlive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Signals the group, then waits for every process in it (npm, tsx, node, java) to be gone, and for
 * what they wrote to stderr to be read: the group can be gone before the pipe's last chunk arrives.
 */
async function stop(child: ChildProcess, signal: NodeJS.Signals) {
  process.kill(-child.pid!, signal);
  const deadline = Date.now() + 15_000;
  while (groupAlive(child.pid!) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
  const stderr = child.stderr!;
  if (!stderr.readableEnded) {
    await new Promise<void>((done) => {
      stderr.once('end', () => done());
      setTimeout(done, 5_000);
    });
  }
  return !groupAlive(child.pid!);
}

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'meridian-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves both default regions, issues tokens it accepts, stops cleanly, keeps its data and rebuilds views from it', {
    timeout: 120_000,
  }, async () => {
    // The defaults: no regions, secret or endpoint given.
    const env = {
      MERIDIAN_DATA_DIR: dataDir,
      MERIDIAN_JWT_SECRET: '',
      MERIDIAN_REGIONS: undefined,
      DYNAMODB_ENDPOINT: undefined,
      POWERTOOLS_LOG_LEVEL: 'WARN',
    };
    const first = await startOnFreePorts(env);
    const { port } = first;
    expect(first.lines).toEqual([`eu-central-1 http://127.0.0.1:${port}`, `us-east-1 http://127.0.0.1:${port + 1}`]);
    const eu = `http://127.0.0.1:${port}`;
    expect((await call(`http://127.0.0.1:${port + 1}`, 'GET', '/health')).body).toEqual({ status: 'ok', region: 'us-east-1' });

    const { stdout: token } = await run('npm', ['run', '-s', 'token', '--', '--tenant', 'acme', '--role', 'agent', '--sub', 'agent-1'], {
      env: { ...process.env, MERIDIAN_DATA_DIR: dataDir, MERIDIAN_JWT_SECRET: '' },
    });
    const created = await call(eu, 'POST', '/v1/tickets', { token: token.trim(), body: newTicket() });
    expect(created.status).toBe(201);

    // The audit CLI reaches the engine the running npm start announced in the data folder.
    const verified = await run('npm', ['run', '-s', 'audit', '--', 'verify'], { env: { ...process.env, ...env } });
    expect(verified.stdout).toMatch(/^verified 1 events in 1 streams \(eu-central-1: /m);
    expect(verified.stdout).toMatch(/^verified 0 events in 0 streams \(us-east-1: /m);

    expect(await stop(first.child, 'SIGINT')).toBe(true);
    expect(first.stderr()).toContain('SIGINT: stopping');
    await expect(fetch(eu)).rejects.toThrow();

    // With the runtime stopped, the rebuild opens the same engine files itself.
    const rebuilt = await run('npm', ['run', '-s', 'rebuild-views'], { env: { ...process.env, ...env } });
    expect(rebuilt.stdout).toMatch(
      /^eu-central-1 meridian-eu-central-1-views: 1 views \(tickets and requests\) rebuilt in \d+ ms\neu-central-1 meridian-eu-central-1-search: 1 tickets indexed again in \d+ ms\nus-east-1 meridian-us-east-1-views: 0 views \(tickets and requests\) rebuilt in \d+ ms\nus-east-1 meridian-us-east-1-search: 0 tickets indexed again/,
    );
    // Stopping wrote the head digest; the installed `meridian` command checks the history reaches it.
    const audited = await run(join(process.cwd(), 'bin/meridian.mjs'), ['verify', '--region', 'eu-central-1'], {
      env: { ...process.env, ...env },
    });
    expect(audited.stdout).toMatch(
      /^verified 1 events in 1 streams \(eu-central-1: 1 entry in 1 tenant log, heads digest of .* reached, 1 digest signed and chained\)$/m,
    );

    const second = await startOnFreePorts(env);
    const again = await call(`http://127.0.0.1:${second.port}`, 'GET', `/v1/tickets/${created.body.id}`, { token: token.trim() });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(created.body);
    expect(await stop(second.child, 'SIGTERM')).toBe(true);
    expect(second.stderr()).toContain('SIGTERM: stopping');
  });
});
