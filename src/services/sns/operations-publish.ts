/**
 * SNS wire adapter for Publish and PublishBatch (1-10 entries with distinct ids; each entry
 * succeeds or fails on its own). A message goes to a topic (`TopicArn`, or a topic ARN as
 * `TargetArn`); drydock sends no SMS (`PhoneNumber`) and has no mobile platform endpoints.
 */
import { ServiceError } from '../../kernel/service-error.js';
import { requireTopic, type SnsContext } from './context.js';
import {
  batchEntryIdsNotDistinct,
  emptyBatchRequest,
  invalidBatchEntryId,
  invalidParameter,
  tooManyEntriesInBatchRequest,
} from './errors.js';
import { publish, type PublishInput } from './publish.js';

/** Failed batch entries report the query code the error travels under. */
const QUERY_CODES: Record<string, string> = {
  InvalidParameterException: 'InvalidParameter',
  InvalidParameterValueException: 'ParameterValueInvalid',
};

export function publishOperations(ctx: SnsContext) {
  return {
    Publish: (input: PublishInput & { TopicArn?: string; TargetArn?: string; PhoneNumber?: string }) => {
      if (input.PhoneNumber !== undefined) throw invalidParameter('PhoneNumber', 'drydock does not send SMS messages');
      const arn = input.TopicArn ?? input.TargetArn;
      if (arn === undefined) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
      return { MessageId: publish(ctx, requireTopic(ctx, arn), input) };
    },

    PublishBatch: (input: { TopicArn: string; PublishBatchRequestEntries: Array<PublishInput & { Id: string }> }) => {
      const topic = requireTopic(ctx, input.TopicArn);
      const entries = input.PublishBatchRequestEntries;
      if (entries.length === 0) throw emptyBatchRequest();
      if (entries.length > 10) throw tooManyEntriesInBatchRequest();
      const ids = new Set<string>();
      for (const { Id } of entries) {
        if (!/^[A-Za-z0-9_-]{1,80}$/.test(Id)) throw invalidBatchEntryId();
        if (ids.has(Id)) throw batchEntryIdsNotDistinct();
        ids.add(Id);
      }
      const Successful: Array<{ Id: string; MessageId: string }> = [];
      const Failed: Array<{ Id: string; Code: string; Message: string; SenderFault: boolean }> = [];
      for (const entry of entries) {
        try {
          Successful.push({ Id: entry.Id, MessageId: publish(ctx, topic, entry) });
        } catch (error) {
          if (!(error instanceof ServiceError)) throw error;
          Failed.push({
            Id: entry.Id,
            Code: QUERY_CODES[error.code] ?? error.code,
            Message: error.message,
            SenderFault: error.fault === 'client',
          });
        }
      }
      return { Successful, Failed };
    },
  };
}
