/**
 * Two kinds of failure reach the user. A UserError is something the person can fix in their
 * input (spec, flags, URL): exit code 2. An ExecutionError happened while working: exit code 1.
 */
export class UserError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export class ExecutionError extends Error {
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ExecutionError';
  }
}

/** Renders an error for a person: the message and, when known, how to fix it. */
export function describeError(err: unknown): string {
  if (err instanceof UserError) return err.fix ? `${err.message}\n  fix: ${err.fix}` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
