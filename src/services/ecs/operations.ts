/**
 * ECS wire adapter: every implemented operation, by the model's operation name, gathered from
 * the operations-*.ts files (one per AWS noun). Operations not listed here answer
 * `NotImplemented` from the gateway.
 */
import type { OperationTable } from '../../kernel/operation.js';
import type { EcsContext } from './context.js';
import { attributeOperations } from './operations-attribute.js';
import { capacityProviderOperations } from './operations-capacity-provider.js';
import { clusterOperations } from './operations-cluster.js';
import { containerInstanceOperations } from './operations-container-instance.js';
import { serviceOperations } from './operations-service.js';
import { tagOperations } from './operations-tag.js';
import { taskDefinitionOperations } from './operations-task-definition.js';
import { taskProtectionOperations } from './operations-task-protection.js';
import { taskOperations } from './operations-task.js';

export function ecsOperationTable(ctx: EcsContext): OperationTable {
  return {
    ...clusterOperations(ctx),
    ...containerInstanceOperations(ctx),
    ...attributeOperations(ctx),
    ...taskDefinitionOperations(ctx),
    ...taskOperations(ctx),
    ...taskProtectionOperations(ctx),
    ...serviceOperations(ctx),
    ...tagOperations(ctx),
    ...capacityProviderOperations(ctx),
  };
}
