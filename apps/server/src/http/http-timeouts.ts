/**
 * Time limits of the HTTP server, so that slow or idle clients cannot hold connections and memory: the
 * headers, then the whole request, must arrive within a bound (Node answers 408 and closes the connection),
 * and idle keep-alive connections are closed.
 */
export interface HttpTimeouts {
  /** The request line and headers must arrive within this, ms. Default: 5,000. */
  readonly headersTimeoutMs: number;
  /**
   * The whole request, body included, must arrive within this, ms (at least `headersTimeoutMs`). A client
   * sending its body a byte a second is cut off with 408. Default: 10,000.
   */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this, ms. Default: 72,000 (Fastify's). */
  readonly keepAliveTimeoutMs: number;
  /** How often Node checks the two request timeouts, ms (they fire up to this late). Default: 1,000. */
  readonly checkIntervalMs: number;
}

/** The defaults of {@link HttpTimeouts} (config `server.timeouts`). */
export const HTTP_TIMEOUT_DEFAULTS: HttpTimeouts = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 72_000,
  checkIntervalMs: 1_000,
};
