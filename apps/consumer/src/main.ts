#!/usr/bin/env node
import { runCli } from './run-cli.js';

process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `granary-consumer: crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(3);
  },
);
