/**
 * ServiceError: the one error type the domain throws. It carries the AWS error code (the
 * Smithy/botocore shape name, e.g. `ClusterNotFoundException`), the HTTP status and the fault
 * side; the wire codec of the service's protocol decides the bytes (awsQuery may rename the
 * code from the model, JSON puts it in `__type`). Anything thrown that is not a ServiceError is
 * an internal failure and is answered as `InternalFailure` (500).
 */

export type Fault = 'client' | 'server';

export interface ServiceErrorOptions {
  /** HTTP status; defaults to 400 for client faults and 500 for server faults. */
  httpStatus?: number;
  fault?: Fault;
  /** Extra members of the modeled error shape (e.g. ECS `reason`), serialized beside the message. */
  fields?: Record<string, unknown>;
}

export class ServiceError extends Error {
  readonly code: string;
  readonly fault: Fault;
  readonly httpStatus: number;
  readonly fields: Record<string, unknown>;

  constructor(code: string, message: string, options: ServiceErrorOptions = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.fault = options.fault ?? (options.httpStatus !== undefined && options.httpStatus >= 500 ? 'server' : 'client');
    this.httpStatus = options.httpStatus ?? (this.fault === 'server' ? 500 : 400);
    this.fields = options.fields ?? {};
  }
}

/** An operation that AWS has and drydock does not implement yet: 501, naming it. */
export class NotImplementedError extends ServiceError {
  constructor(serviceName: string, operationName: string) {
    super('NotImplemented', `drydock does not implement ${serviceName} operation ${operationName} yet.`, {
      httpStatus: 501,
      fault: 'server',
    });
  }
}

/** Something unexpected broke inside drydock; the cause is logged with the request id, never sent. */
export class InternalFailure extends ServiceError {
  constructor(requestId: string) {
    super('InternalFailure', `drydock failed to process the request (request id ${requestId}); see the server log.`, {
      httpStatus: 500,
      fault: 'server',
    });
  }
}

export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof ServiceError;
}
