#!/usr/bin/env node
import { runCli } from './cli/run-cli.js';

const untilSignal = () =>
  new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });

runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  untilSignal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`granary-server: crashed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 4;
  },
);
