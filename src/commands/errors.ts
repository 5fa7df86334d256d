/**
 * Errors a user can cause, apart from the orchestrator so any module (calibrate, backtest, the
 * front doors) can raise them without importing the run.
 */

/** A usage problem the user must fix (CLI exit 2): a rollback with nowhere to go, force without reason. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
