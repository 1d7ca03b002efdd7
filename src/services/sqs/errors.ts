/**
 * SQS's errors, thrown by their model shape names (`QueueDoesNotExist`, `ReceiptHandleIsInvalid`);
 * the JSON codec sends the shape name in `__type` with the query code in `x-amzn-query-error`, the
 * query codec sends the query code (`AWS.SimpleQueueService.NonExistentQueue`). Errors SQS does not
 * model (`InvalidParameterValue`, `MissingParameter`) travel under their query code in both.
 * Messages are AWS's where public answers show them; the others are marked UNCONFIRMED.
 */
import { ServiceError } from '../../kernel/service-error.js';

const error = (code: string, message: string, httpStatus?: number) =>
  new ServiceError(code, message, httpStatus === undefined ? {} : { httpStatus });

export const queueDoesNotExist = () => error('QueueDoesNotExist', 'The specified queue does not exist.');

export const invalidParameterValue = (message: string) => error('InvalidParameterValue', message);

/** `Value 11 for parameter MaxNumberOfMessages is invalid. Reason: …` — AWS's layout. */
export const invalidParameter = (name: string, value: unknown, reason: string) =>
  invalidParameterValue(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`);

export const missingParameter = (name: string) =>
  error('MissingParameter', `The request must contain the parameter ${name}.`);

export const invalidAddress = (url: string) =>
  error('InvalidAddress', `The address ${url} is not valid for this endpoint.`);

export const receiptHandleIsInvalid = (handle: string) =>
  error('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);

/** UNCONFIRMED wording. */
export const messageNotInflight = () =>
  error('MessageNotInflight', 'Message does not exist or is not available for visibility timeout change.');

export const invalidAttributeName = (name: string) => error('InvalidAttributeName', `Unknown Attribute ${name}.`);

/** UNCONFIRMED wording beyond the first sentence. */
export const invalidAttributeValue = (name: string, reason?: string) =>
  error('InvalidAttributeValue', `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ''}`);

/** UNCONFIRMED wording. */
export const queueNameExists = (attribute: string) =>
  error(
    'QueueNameExists',
    `A queue already exists with the same name and a different value for attribute ${attribute}`,
  );

export const queueDeletedRecently = () =>
  error(
    'QueueDeletedRecently',
    'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
  );

export const purgeQueueInProgress = (queueUrl: string) =>
  error('PurgeQueueInProgress', `Only one PurgeQueue operation on ${queueUrl} is allowed every 60 seconds.`);

export const invalidMessageContents = () =>
  error(
    'InvalidMessageContents',
    'Invalid characters found. The set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
  );

// --- batches (UNCONFIRMED wording) -----------------------------------------------------------
export const emptyBatchRequest = (entry: string) =>
  error('EmptyBatchRequest', `There should be at least one ${entry} in the request.`);
export const tooManyEntriesInBatchRequest = (count: number) =>
  error('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${count}.`);
export const batchEntryIdsNotDistinct = (id: string) => error('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
export const invalidBatchEntryId = () =>
  error(
    'InvalidBatchEntryId',
    'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
  );
export const batchRequestTooLong = (limit: number) =>
  error('BatchRequestTooLong', `Batch requests cannot be longer than ${limit} bytes.`);
