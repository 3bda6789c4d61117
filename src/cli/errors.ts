/**
 * A failure the operator can act on. main() prints its message as the one
 * `jobrun: ...` line on stderr; anything else is reported as an internal error.
 */
export class CliError extends Error {
  constructor(
    message: string,
    /** 2 for bad usage (nothing was attempted), 1 when the request was refused. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
  }
}
