import type { DestinationStream, Logger } from 'pino';
import { pino } from 'pino';

/** Header and field paths never written to logs. */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
];

/** Headers worth logging with each request (the secret ones are redacted). */
const LOGGED_HEADERS = [
  'user-agent',
  'content-length',
  'x-granary-deadline-ms',
  'authorization',
  'x-api-key',
];

interface LoggableRequest {
  method?: string;
  url?: string;
  ip?: string;
  headers?: Record<string, unknown>;
}

/** The `req` of request log lines: method, URL, client address and a few headers. */
function serializeRequest(req: LoggableRequest): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  for (const h of LOGGED_HEADERS) if (req.headers?.[h] !== undefined) headers[h] = req.headers[h];
  return { method: req.method, url: req.url, remoteAddress: req.ip, headers };
}

/**
 * The server's pino logger: JSON lines, `requestId` on every request line (Fastify's child loggers), and the
 * secrets in {@link REDACTED_PATHS} replaced by `[redacted]`. `destination` defaults to stdout.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'granary-server' },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { req: serializeRequest },
  };
  return destination ? pino(options, destination) : pino(options);
}
