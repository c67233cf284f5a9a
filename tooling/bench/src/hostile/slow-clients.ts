/**
 * Slow-body clients (slowloris on the body): each opens a connection, sends complete headers of a
 * `POST /v1/features` announcing a body, then one byte of it per `byteEveryMs`. A server with a request
 * timeout answers 408 and closes; one without keeps every such connection (and its buffers) open for good.
 */
import { connect } from 'node:net';

/** What happened to one slow client. */
export interface SlowClientOutcome {
  /** The status line the server answered with (`HTTP/1.1 408 Request Timeout`), or '' if none. */
  readonly statusLine: string;
  /** From connecting until the server closed the connection, ms; undefined if it was still open at the end. */
  readonly closedAfterMs: number | undefined;
}

/** Options of {@link runSlowClients}. */
export interface SlowClientsOptions {
  readonly host: string;
  readonly port: number;
  readonly clients: number;
  /** Connections are opened evenly over this time, ms. */
  readonly rampMs: number;
  readonly byteEveryMs: number;
  /** Clients still connected after this time, ms, are counted as not cut off and closed by us. */
  readonly giveUpAfterMs: number;
}

/** Runs the slow clients; resolves when every connection has closed or been given up on. */
export function runSlowClients(o: SlowClientsOptions): Promise<SlowClientOutcome[]> {
  const body = '{"features":["x:y"],"entities":[{"user_id":1}]}'.padEnd(1024, ' ');
  const head =
    `POST /v1/features HTTP/1.1\r\nHost: ${o.host}:${o.port}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${body.length}\r\n\r\n`;
  const one = (delayMs: number) =>
    new Promise<SlowClientOutcome>((resolve) => {
      setTimeout(() => {
        const started = performance.now();
        const socket = connect(o.port, o.host);
        let response = '';
        let sent = 0;
        const drip = setInterval(() => {
          if (sent < body.length && socket.writable) socket.write(body[sent++] as string);
        }, o.byteEveryMs);
        const giveUp = setTimeout(() => socket.destroy(), o.giveUpAfterMs);
        socket.on('data', (d) => {
          response += String(d);
        });
        socket.on('error', () => {});
        socket.once('close', () => {
          clearInterval(drip);
          clearTimeout(giveUp);
          const elapsed = performance.now() - started;
          resolve({
            statusLine: response.split('\r\n')[0] ?? '',
            closedAfterMs: elapsed < o.giveUpAfterMs ? elapsed : undefined,
          });
        });
        socket.write(head);
      }, delayMs);
    });
  return Promise.all(Array.from({ length: o.clients }, (_, i) => one((i * o.rampMs) / o.clients)));
}
