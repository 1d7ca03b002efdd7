/**
 * Lambda's errors, by the model's shape names; the restJson1 codec puts the code in
 * `X-Amzn-ErrorType` and the status from the shape (404 not found, 409 conflict, 412 precondition,
 * 429 throttled). Messages are AWS's own where public answers show them (`Function not found:
 * arn:…`, `Function already exist: name`, `Rate Exceeded.`); drydock-only ones say what drydock
 * supports instead.
 */
import { ServiceError } from '../../kernel/service-error.js';

const user = (code: string, message: string, fields: Record<string, unknown> = {}) =>
  new ServiceError(code, message, { fields });

export const invalidParameter = (message: string) => user('InvalidParameterValueException', message);

/** The shape a Coral front end gives constraint violations it checks itself (AWS's wording). */
export const validationError = (value: string, member: string, constraint: string) =>
  new ServiceError(
    'ValidationException',
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );

export const functionNotFound = (arn: string) => user('ResourceNotFoundException', `Function not found: ${arn}`);
export const aliasNotFound = (aliasArn: string) =>
  user('ResourceNotFoundException', `Cannot find alias arn: ${aliasArn}`);
export const resourceNotFound = (message = 'The resource you requested does not exist.') =>
  user('ResourceNotFoundException', message);

export const functionAlreadyExists = (name: string) =>
  user('ResourceConflictException', `Function already exist: ${name}`);
export const aliasAlreadyExists = (aliasArn: string) =>
  user('ResourceConflictException', `Alias already exists: ${aliasArn}`);
export const resourceConflict = (message: string) => user('ResourceConflictException', message);

export const revisionMismatch = (api: 'GetFunction/GetAlias' | 'GetPolicy' = 'GetFunction/GetAlias') =>
  user(
    'PreconditionFailedException',
    `The Revision Id provided does not match the latest Revision Id. Call the ${api} API to retrieve the latest Revision Id`,
  );

/** A function at its reserved concurrency (or the account at its limit): AWS's 429. */
export const throttled = (
  reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded',
) => user('TooManyRequestsException', 'Rate Exceeded.', { Reason: reason });

export const invalidRequestContent = (detail: string) =>
  user(
    'InvalidRequestContentException',
    `Could not parse request body into json: Could not parse payload into json: ${detail}`,
  );

export const requestTooLarge = (limitBytes: number, operation: string) =>
  new ServiceError(
    'RequestTooLargeException',
    `Request must be smaller than ${limitBytes} bytes for the ${operation} operation`,
    {
      httpStatus: 413,
    },
  );

export const notQualifiable = () =>
  invalidParameter(
    'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
  );

/** Drydock's own storage failed (unpacked code went missing): AWS's 500 ServiceException. */
export const serviceException = (message: string) =>
  new ServiceError('ServiceException', message, { httpStatus: 500, fault: 'server' });
