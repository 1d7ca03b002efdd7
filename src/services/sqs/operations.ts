/**
 * SQS wire adapter: every implemented operation, by the model's operation name, served alike over
 * the JSON 1.0 protocol and the awsQuery protocol (the wire layer decodes both to these inputs).
 * Operations not listed here (permissions, message move tasks) answer `NotImplemented`.
 */
import type { OperationTable } from '../../kernel/operation.js';
import type { SqsContext } from './context.js';
import { messageOperations } from './operations-message.js';
import { queueOperations } from './operations-queue.js';

export function sqsOperationTable(ctx: SqsContext): OperationTable {
  return { ...queueOperations(ctx), ...messageOperations(ctx) };
}
