/** A failure to set the drill up (missing binary or build, a service or process not ready): exit code 2. */
export class SetupError extends Error {}
