// Kubernetes `Status` errors. Clients branch on `code` and `reason` (client-node, kubectl, the
// console's k8s utilities), so they must match what a real API server sends.

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** The qualified name a real server puts in messages: `pods`, `builds.build.openshift.io`. */
export function qualified(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

export const notFound = (qr: string, name: string, group = '', kind = ''): ApiError =>
  new ApiError(404, 'NotFound', `${qr} "${name}" not found`, { name, group, kind });

export const alreadyExists = (qr: string, name: string, group = '', kind = ''): ApiError =>
  new ApiError(409, 'AlreadyExists', `${qr} "${name}" already exists`, { name, group, kind });

export const conflict = (qr: string, name: string, group = '', kind = ''): ApiError =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qr} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group, kind },
  );

export const badRequest = (message: string): ApiError => new ApiError(400, 'BadRequest', message);

export const invalid = (kind: string, name: string, causes: StatusCause[], group = ''): ApiError =>
  new ApiError(
    422,
    'Invalid',
    `${group ? `${kind}.${group}` : kind} "${name}" is invalid: ${causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(', ')}`,
    { name, group, kind, causes: causes.map((c) => ({ reason: 'FieldValueInvalid', ...c })) },
  );

/** A version the server has not reached yet (the API server answers so after waiting ~3 s). */
export const tooLargeResourceVersion = (want: number, current: number): ApiError =>
  new ApiError(504, 'Timeout', `Too large resource version: ${want}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });

export const unauthorized = (): ApiError => new ApiError(401, 'Unauthorized', 'Unauthorized');

export const expired = (message: string): ApiError => new ApiError(410, 'Expired', message);

export const methodNotAllowed = (
  message = 'the server does not allow this method on the requested resource',
): ApiError => new ApiError(405, 'MethodNotAllowed', message);

export const internalError = (message: string): ApiError =>
  new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
