/**
 * SNS wire adapter: every implemented operation, by the model's operation name. Operations not
 * listed here (SMS, mobile push, data protection, permissions) answer `NotImplemented`.
 */
import type { OperationTable } from '../../kernel/operation.js';
import type { SnsContext } from './context.js';
import { publishOperations } from './operations-publish.js';
import { subscriptionOperations } from './operations-subscription.js';
import { topicOperations } from './operations-topic.js';

export function snsOperationTable(ctx: SnsContext): OperationTable {
  return { ...topicOperations(ctx), ...subscriptionOperations(ctx), ...publishOperations(ctx) };
}
