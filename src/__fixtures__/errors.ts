// Errors shaped as the console reports them from a watch: the SDK's HttpError (status in `code`,
// Kubernetes Status body in `json`) and the NoModelError it raises for an unknown kind.
import notFoundStatus from './status-404.json';
import forbiddenStatus from './status-403.json';
import conflictStatus from './status-409.json';

class HttpError extends Error {
  constructor(
    message: string,
    public code?: number,
    public json?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

class NoModelError extends Error {
  constructor() {
    super('Model does not exist');
    this.name = 'NoModelError';
  }
}

export const notFoundError = (): Error =>
  new HttpError(notFoundStatus.message, notFoundStatus.code, notFoundStatus);
export const forbiddenError = (): Error =>
  new HttpError(forbiddenStatus.message, forbiddenStatus.code, forbiddenStatus);
export const serverError = (): Error => new HttpError('Internal Server Error', 500);
export const noModelError = (): Error => new NoModelError();
export const conflictError = (): Error =>
  new HttpError(conflictStatus.message, conflictStatus.code, conflictStatus);
