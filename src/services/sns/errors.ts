/**
 * SNS's errors, thrown by their model shape names (`NotFoundException`,
 * `InvalidParameterException`); the awsQuery codec sends the model's code (`NotFound`,
 * `InvalidParameter`) and status. SNS words its messages `Invalid parameter: <what>` and
 * `Invalid parameter: <what> Reason: <why>`; those drydock adds for what it does not deliver
 * say so plainly.
 */
import { ServiceError } from '../../kernel/service-error.js';

export const invalidParameter = (what: string, reason?: string) =>
  new ServiceError('InvalidParameterException', `Invalid parameter: ${what}${reason ? ` Reason: ${reason}` : ''}`);

export const invalidParameterValue = (message: string) => new ServiceError('InvalidParameterValueException', message);

export const topicNotFound = () => new ServiceError('NotFoundException', 'Topic does not exist');

/** UNCONFIRMED wording. */
export const subscriptionNotFound = () => new ServiceError('NotFoundException', 'Subscription does not exist');

export const resourceNotFound = () => new ServiceError('ResourceNotFoundException', 'Resource does not exist');

/** UNCONFIRMED wording. */
export const tagLimitExceeded = () =>
  new ServiceError('TagLimitExceededException', 'Could not complete request: tag quota of per resource exceeded');

export const emptyBatchRequest = () =>
  new ServiceError('EmptyBatchRequestException', "The batch request doesn't contain any entries.");
export const tooManyEntriesInBatchRequest = () =>
  new ServiceError(
    'TooManyEntriesInBatchRequestException',
    'The batch request contains more entries than permissible.',
  );
export const batchEntryIdsNotDistinct = () =>
  new ServiceError('BatchEntryIdsNotDistinctException', 'Two or more batch entries in the request have the same Id.');
export const invalidBatchEntryId = () =>
  new ServiceError(
    'InvalidBatchEntryIdException',
    "The Id of a batch entry in a batch request doesn't abide by the specification.",
  );
