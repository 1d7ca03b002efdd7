/**
 * EventBridge's errors, by the model's shape names. Messages are AWS's own where public output
 * shows them (`OBS:` — quoted from real API answers in issue threads and in the snapshot tests of
 * projects validated against AWS); the others say plainly what is wrong and are marked
 * UNCONFIRMED, so each is one line to change.
 */
import { ServiceError } from '../../kernel/service-error.js';

const error = (code: string, message: string) => new ServiceError(code, message, { httpStatus: 400 });

/** OBS: "Event pattern is not valid. Reason: Empty objects are not allowed at [Source: …]". drydock leaves out Jackson's location. */
export const invalidEventPattern = (reason: string) =>
  error('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`);

export const validationError = (message: string) => error('ValidationException', message);

/** OBS: "Event bus my-bus does not exist." */
export const eventBusNotFound = (name: string) =>
  error('ResourceNotFoundException', `Event bus ${name} does not exist.`);

/** OBS: "Rule test-rule does not exist on EventBus default." */
export const ruleNotFound = (rule: string, bus: string) =>
  error('ResourceNotFoundException', `Rule ${rule} does not exist on EventBus ${bus}.`);

/** OBS: "Event bus my-bus already exists." */
export const eventBusAlreadyExists = (name: string) =>
  error('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);

/** OBS (a 6th target on a rule; also the rules-per-bus quota): "The requested resource exceeds the maximum number allowed." */
export const limitExceeded = () =>
  error('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');

/** OBS: "Cannot delete event bus default." */
export const cannotDeleteDefaultBus = () => validationError('Cannot delete event bus default.');

/** OBS: "Parameter(s) EventPattern or ScheduleExpression must be specified." */
export const patternOrScheduleRequired = () =>
  validationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');

/** OBS: "ScheduleExpression is supported only on the default event bus." */
export const scheduleOnCustomBus = () =>
  validationError('ScheduleExpression is supported only on the default event bus.');

/** OBS: "Parameter ScheduleExpression is not valid." */
export const invalidScheduleExpression = () => validationError('Parameter ScheduleExpression is not valid.');

/** OBS: "Rule can't be deleted since it has targets." */
export const ruleHasTargets = () => validationError("Rule can't be deleted since it has targets.");

/** OBS: "Parameter foo is not valid. Reason: Provided Arn is not in correct format." */
export const invalidTargetArn = (arn: string) =>
  validationError(`Parameter ${arn} is not valid. Reason: Provided Arn is not in correct format.`);

/** OBS: "Parameter(s) SqsParameters must be specified for target: my-target." */
export const sqsParametersRequired = (targetId: string) =>
  validationError(`Parameter(s) SqsParameters must be specified for target: ${targetId}.`);

/** UNCONFIRMED wording. */
export const tooManyInputs = (targetId: string) =>
  validationError(`Only one of Input, InputPath, or InputTransformer must be provided for target ${targetId}.`);

/** UNCONFIRMED wording. */
export const invalidTargetInput = (targetId: string, reason: string) =>
  validationError(`Parameter Input is not valid for target ${targetId}. Reason: ${reason}`);

/** UNCONFIRMED wording. */
export const invalidInputPath = (targetId: string, path: string) =>
  validationError(
    `Parameter InputPath is not valid for target ${targetId}. Reason: '${path}' is not a valid JSON path.`,
  );

/** UNCONFIRMED wording. */
export const invalidInputTransformer = (targetId: string, reason: string) =>
  validationError(`Parameter InputTransformer is not valid for target ${targetId}. Reason: ${reason}`);

/** UNCONFIRMED wording. */
export const invalidDeadLetterArn = (targetId: string, arn: string) =>
  validationError(
    `Parameter DeadLetterConfig.Arn is not valid for target ${targetId}. Reason: '${arn}' is not an Amazon SQS queue ARN.`,
  );

/** UNCONFIRMED wording. */
export const invalidEventBusName = (name: string) =>
  validationError(`Parameter EventBusName is not valid. Reason: '${name}' is not an event bus name or ARN.`);

/** OBS (TestEventPattern's Event is not JSON or lacks a required envelope field): "Parameter Event is not valid." */
export const invalidTestEvent = () => validationError('Parameter Event is not valid.');

/** UNCONFIRMED wording. */
export const invalidNextToken = () => validationError('The NextToken provided is not valid.');

/** UNCONFIRMED wording (AWS counts the whole request: `UG:eb/eb-putevent-size`). */
export const putEventsTooLarge = () => validationError('Total size of the entries in the request is over the limit.');
