/**
 * EventBridge wire adapter: every implemented operation, by the model's operation name, gathered
 * from the operations-*.ts files (one per AWS noun). Operations not listed here (archives,
 * replays, API destinations, endpoints, permissions, tags) answer `NotImplemented` from the
 * gateway.
 */
import type { OperationTable } from '../../kernel/operation.js';
import type { EventsContext } from './context.js';
import { eventOperations } from './operations-event.js';
import { eventBusOperations } from './operations-event-bus.js';
import { ruleOperations } from './operations-rule.js';
import { targetOperations } from './operations-target.js';

export function eventsOperationTable(ctx: EventsContext): OperationTable {
  return {
    ...eventBusOperations(ctx),
    ...ruleOperations(ctx),
    ...targetOperations(ctx),
    ...eventOperations(ctx),
  };
}
