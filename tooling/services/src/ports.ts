import { createServer } from 'node:net';
import { type HostPort, LOCALHOST } from './endpoints.ts';

/** True when nothing listens on `port` of the loopback address (checked by binding it for a moment). */
export function isPortFree(port: number, host = LOCALHOST): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Throws naming every busy port, so a foreign server on our ports is reported instead of a confusing crash.
 * A bare number is a port of 127.0.0.1; a `{ host, port }` names another loopback address (127.0.0.2...).
 */
export async function assertPortsFree(
  ports: readonly (number | HostPort)[],
  service: string,
  envVar: string,
): Promise<void> {
  const busy: string[] = [];
  for (const p of ports) {
    const { host, port } = typeof p === 'number' ? { host: LOCALHOST, port: p } : p;
    if (!(await isPortFree(port, host))) busy.push(`${host}:${port}`);
  }
  if (busy.length > 0) {
    throw new Error(
      `${service}: ${busy.join(', ')} is in use by a process this tool did not start ` +
        `(and it does not answer as ${service}); stop it, or set ${envVar} to use a server of your own`,
    );
  }
}

/** A port the OS reports free on the loopback address right now (bind to port 0, read it, release it). */
export function freePort(host = LOCALHOST): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const a = server.address();
      server.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no free port'))));
    });
  });
}
