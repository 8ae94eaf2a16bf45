#!/usr/bin/env node
// The `meridian` command (package.json "bin"): the audit CLI, run from its TypeScript source.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../infra/cli/meridian.ts');
process.exitCode = await main(process.argv.slice(2), process.env);
