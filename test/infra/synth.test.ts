import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'meridian-cdk-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

it('cdk synth works offline through cdk.json, a template per region', { timeout: 180_000 }, async () => {
  await run('npx', ['cdk', 'synth', '--no-notices', '--quiet', '-o', out], {
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(readdirSync(out).filter((file) => file.endsWith('.template.json')).sort()).toEqual([
    'Meridian-ap-southeast-1.template.json',
    'Meridian-eu-central-1.template.json',
    'Meridian-us-east-1.template.json',
  ]);
});
