import { spawn } from 'node:child_process';
import { commandLine, signalGroup, tail } from './process.ts';

/** A reference server started from its bin, until `stop`. */
export interface StartedServer {
  /** The URL its startup banner printed. */
  readonly url: string;
  /** The request body of the banner's `curl ... /v1/features` command. */
  readonly exampleRequest: string | undefined;
  /** SIGTERM to its process group; resolves with how it ended (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }>;
  /** Everything it printed so far. */
  output(): string;
}

/** Whether any process of the group led by `pid` is still running. */
function groupAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

const LISTENING = /listening on (http:\/\/\S+)/;
const CURL_BODY = /curl -s -X POST \S+\/v1\/features .*-d '(\{.*\})'/;

/**
 * Starts `cmd args` in its own process group and resolves once its banner names the URL it listens on;
 * rejects with its output when it exits first or prints no banner within `timeoutMs`.
 */
export function startServer(
  cmd: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<StartedServer> {
  const child = spawn(cmd, [...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signalGroup(child, 'SIGKILL');
      reject(
        new Error(
          `${commandLine(cmd, args)}: no "listening on" banner within ${options.timeoutMs} ms\n${tail(out)}`,
        ),
      );
    }, options.timeoutMs);
    let started = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const url = started ? undefined : LISTENING.exec(out)?.[1];
      if (!url) return;
      started = true;
      clearTimeout(timer);
      resolve({
        url,
        get exampleRequest() {
          return CURL_BODY.exec(out)?.[1];
        },
        output: () => out,
        async stop(graceMs = 20_000) {
          signalGroup(child, 'SIGTERM');
          let killed = false;
          const kill = setTimeout(() => {
            killed = true;
            signalGroup(child, 'SIGKILL');
          }, graceMs);
          const ended = await exited;
          // A wrapper (npx) may end before the server it started: wait for the whole group.
          while (groupAlive(child.pid)) await new Promise((r) => setTimeout(r, 100));
          clearTimeout(kill);
          return { ...ended, killed };
        },
      });
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${commandLine(cmd, args)}: ${error.message}`));
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(`${commandLine(cmd, args)} exited (${code ?? signal}) before listening\n${tail(out)}`),
      );
    });
  });
}

/** `counts.byStatus.PRESENT` of a `POST /v1/features` answer (0 when the body is not one). */
export function presentValues(body: string): number {
  try {
    const n = (JSON.parse(body) as { counts?: { byStatus?: { PRESENT?: unknown } } }).counts?.byStatus
      ?.PRESENT;
    return typeof n === 'number' ? n : 0;
  } catch {
    return 0;
  }
}

/**
 * Polls the server until it is ready and its banner's example request is answered with at least one PRESENT
 * value (the demo feed has written it); returns the problem when that does not happen within `timeoutMs`.
 */
export async function waitUntilServing(
  server: StartedServer,
  timeoutMs: number,
): Promise<string | undefined> {
  if (!server.exampleRequest)
    return `its banner shows no "curl ... /v1/features -d '...'" command\n${tail(server.output())}`;
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const ready = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(5000) });
      const res = await fetch(`${server.url}/v1/features`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: server.exampleRequest,
        signal: AbortSignal.timeout(5000),
      });
      const text = await res.text();
      last = `GET /readyz ${ready.status}; POST /v1/features ${res.status}: ${text.slice(0, 300)}`;
      const present = res.status === 200 ? presentValues(text) : 0;
      if (ready.status === 200 && present > 0) return undefined;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return `the banner's request got no PRESENT value within ${timeoutMs} ms; last: ${last}`;
}
