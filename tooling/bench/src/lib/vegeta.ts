/**
 * Open-loop HTTP load from a separate process: Vegeta (github.com/tsenart/vegeta), built once from the Go
 * module proxy like the services' Toxiproxy. A Node load generator sharing the event loop's machine adds its own
 * stalls to the tail (the server benchmark's hello-world p99 at 2,000 requests/s was 4.5-22 ms with one, 1.5-2.3 ms
 * with Vegeta: apps/server/README.md), so HTTP
 * benchmarks send from Vegeta and read its per-request results.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createLatencyRecorder, type LatencySummary } from './latency.ts';

/** The Vegeta release the benchmarks use (newest that builds on Debian's Go 1.26). */
export const VEGETA_VERSION = 'v12.13.0';
const MODULE = 'github.com/tsenart/vegeta/v12';
const CACHE = fileURLToPath(new URL('../../../../.services/cache/vegeta/', import.meta.url));
const run = promisify(execFile);

/** Returns the path of the Vegeta binary, building it with `go install` on first use (~10 s). */
export async function ensureVegeta(): Promise<string> {
  const bin = join(CACHE, VEGETA_VERSION, 'bin');
  const binary = join(bin, 'vegeta');
  if (existsSync(binary)) return binary;
  mkdirSync(bin, { recursive: true });
  console.log(`building vegeta ${VEGETA_VERSION} with go install (once)`);
  try {
    await run('go', ['install', `${MODULE}@${VEGETA_VERSION}`], {
      env: { ...process.env, GOBIN: bin },
      timeout: 900_000,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new Error(
        '`go` is not on PATH: install it (apt-get install golang-go) to build the load generator',
      );
    throw new Error(`go install ${MODULE}@${VEGETA_VERSION} failed: ${(error as Error).message}`);
  }
  return binary;
}

/** One request Vegeta sends; targets are sent round-robin. */
export interface VegetaTarget {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Writes targets in Vegeta's JSON lines format and returns the file's path. */
export function writeTargets(dir: string, name: string, targets: readonly VegetaTarget[]): string {
  const lines = targets.map((t) =>
    JSON.stringify({
      method: t.method,
      url: t.url,
      ...(t.body === undefined ? {} : { body: Buffer.from(t.body).toString('base64') }),
      header: Object.fromEntries(Object.entries(t.headers ?? {}).map(([k, v]) => [k, [v]])),
    }),
  );
  const path = join(dir, `${name}.jsonl`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Options of one attack: a fixed arrival rate for a fixed time. */
export interface AttackOptions {
  readonly binary: string;
  readonly targetsFile: string;
  readonly ratePerSec: number;
  readonly durationMs: number;
  /** Scratch directory for the binary results. */
  readonly dir: string;
  /** Per-request timeout. Default 10 s. */
  readonly timeoutMs?: number;
}

/** What an attack measured; latencies in milliseconds. */
export interface AttackResult {
  readonly scheduled: number;
  readonly completed: number;
  readonly errors: number;
  /** First error message, if any. */
  readonly firstError?: string;
  /** Answers by HTTP status (`"0"`: no answer, e.g. a timeout or a refused connection). */
  readonly statuses: Readonly<Record<string, number>>;
  /** Up to 5 distinct messages of the requests that got no answer (status 0), without addresses. */
  readonly transportErrors: readonly string[];
  /** Seconds from the first send to the last answer. */
  readonly elapsedSec: number;
  /** From each request's scheduled send time (seq / rate after the first) to its answer: queueing shows. */
  readonly latency: LatencySummary;
  /** From the actual send to the answer (what Vegeta reports). */
  readonly serviceLatency: LatencySummary;
  /** How late Vegeta sent requests against the schedule (its own stalls). */
  readonly sendLag: LatencySummary;
}

/** Runs `vegeta attack` at a constant rate, then reads every request's result from `vegeta encode --to csv`. */
export async function attack(options: AttackOptions): Promise<AttackResult> {
  const out = join(options.dir, 'attack.bin');
  const seconds = options.durationMs / 1000;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      options.binary,
      [
        'attack',
        '-format=json',
        `-targets=${options.targetsFile}`,
        `-rate=${options.ratePerSec}/s`,
        `-duration=${seconds}s`,
        `-timeout=${(options.timeoutMs ?? 10_000) / 1000}s`,
        '-max-body=0',
        '-workers=64',
        `-output=${out}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += String(c);
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vegeta attack exited with ${code}: ${stderr}`)),
    );
  });
  const { stdout } = await run(options.binary, ['encode', '--to=csv', out], { maxBuffer: 1 << 30 });
  rmSync(out, { force: true });
  return parseResults(stdout, options.ratePerSec, Math.round(options.ratePerSec * seconds));
}

/** Parses Vegeta's CSV (timestamp ns, code, latency ns, bytes out, bytes in, error, body, attack, seq, ...). */
export function parseResults(csv: string, ratePerSec: number, scheduled: number): AttackResult {
  const rows: { start: number; code: number; latencyMs: number; error: string; seq: number }[] = [];
  for (const line of csv.split('\n')) {
    if (line === '') continue;
    const cols = splitCsvLine(line);
    rows.push({
      start: Number(cols[0]) / 1e6,
      code: Number(cols[1]),
      latencyMs: Number(cols[2]) / 1e6,
      error: cols[5] ?? '',
      seq: Number(cols[8]),
    });
  }
  const first = rows.reduce((a, r) => Math.min(a, r.start - r.seq * (1000 / ratePerSec)), Infinity);
  let errors = 0;
  let firstError: string | undefined;
  const statuses: Record<string, number> = {};
  const transportErrors = new Set<string>();
  const latency = createLatencyRecorder();
  const service = createLatencyRecorder();
  const lag = createLatencyRecorder();
  let end = 0;
  let start = Infinity;
  for (const r of rows) {
    const due = first + r.seq * (1000 / ratePerSec);
    start = Math.min(start, r.start);
    end = Math.max(end, r.start + r.latencyMs);
    statuses[r.code] = (statuses[r.code] ?? 0) + 1;
    if (r.code === 0 && transportErrors.size < 5)
      transportErrors.add(r.error.replace(/[0-9.]+:[0-9]+/g, '<addr>'));
    if (r.code !== 200 || r.error !== '') {
      errors++;
      firstError ??= r.error || `status ${r.code}`;
      continue;
    }
    latency.record(r.start - due + r.latencyMs);
    service.record(r.latencyMs);
    lag.record(r.start - due);
  }
  return {
    scheduled,
    completed: rows.length,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    statuses,
    transportErrors: [...transportErrors],
    elapsedSec: rows.length === 0 ? 0 : (end - start) / 1000,
    latency: latency.summary(),
    serviceLatency: service.summary(),
    sendLag: lag.summary(),
  };
}

/** Splits one CSV line, honouring double-quoted fields (Vegeta quotes error messages that hold commas). */
function splitCsvLine(line: string): string[] {
  const cols: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cols.push(field);
      field = '';
    } else field += c;
  }
  cols.push(field);
  return cols;
}

/** Reads the CPU time (user + system, seconds) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line (11 and 12 after the command name), in clock ticks.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
