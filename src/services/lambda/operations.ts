/**
 * Lambda wire adapter: every implemented operation, by the model's operation name, gathered from
 * the operations-*.ts files (one per AWS noun). Operations not listed here (layers, function URLs,
 * code signing, provisioned concurrency) answer `NotImplemented`.
 */
import type { OperationTable } from '../../kernel/operation.js';
import type { LambdaContext } from './context.js';
import { aliasOperations } from './operations-alias.js';
import { eventSourceOperations } from './operations-event-source.js';
import { functionOperations } from './operations-function.js';
import { invokeOperations } from './operations-invoke.js';
import { permissionOperations } from './operations-permission.js';
import { settingsOperations } from './operations-settings.js';

export function lambdaOperationTable(ctx: LambdaContext): OperationTable {
  return {
    ...functionOperations(ctx),
    ...aliasOperations(ctx),
    ...permissionOperations(ctx),
    ...invokeOperations(ctx),
    ...settingsOperations(ctx),
    ...eventSourceOperations(ctx),
  };
}
