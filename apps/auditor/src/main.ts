#!/usr/bin/env node
import { runCli } from './cli/run-cli.js';

// SIGTERM/SIGINT: cancel the run (or stop the service) and exit within a bounded time.
const controller = new AbortController();
const GRACE_MS = 10_000;
for (const name of ['SIGTERM', 'SIGINT'] as const) {
  process.once(name, () => {
    controller.abort(new Error(`received ${name}`));
    setTimeout(() => process.exit(143), GRACE_MS).unref();
  });
}
process.exitCode = await runCli(process.argv.slice(2), { signal: controller.signal });
