/** Where the drill writes its human-readable output, one line per call. */
export type Log = (message: string) => void;

/** Writes each message and a newline to stdout (the drill's default {@link Log}). */
export const stdoutLog: Log = (message) => {
  process.stdout.write(`${message}\n`);
};
