import type { ErrorCode } from '../../../shared/common/api';

/** An error a user can act on. Services throw it; the handler table turns it into `{ ok: false, error }`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
