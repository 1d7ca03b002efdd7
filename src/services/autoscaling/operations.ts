/**
 * Auto Scaling's wire adapter: the operation table the gateway dispatches to, assembled from one
 * file per AWS noun. Operations not listed here answer `NotImplemented` from the gateway (warm
 * pools, instance refresh rollback, scaling policies, scheduled actions, classic load balancers,
 * metrics).
 */
import type { OperationTable } from '../../kernel/operation.js';
import { activityOperations } from './operations-activity.js';
import { groupOperations } from './operations-group.js';
import { instanceOperations } from './operations-instance.js';
import { instanceRefreshOperations } from './operations-instance-refresh.js';
import { launchConfigurationOperations } from './operations-launch-configuration.js';
import { lifecycleOperations } from './operations-lifecycle.js';
import { notificationOperations } from './operations-notification.js';
import type { AutoScalingOperationsDeps } from './operations-support.js';
import { OperationsSupport } from './operations-support.js';
import { tagOperations } from './operations-tag.js';
import { trafficOperations } from './operations-traffic.js';

export type { AutoScalingOperationsDeps } from './operations-support.js';

export function autoscalingOperations(deps: AutoScalingOperationsDeps): OperationTable {
  const support = new OperationsSupport(deps);
  return {
    ...groupOperations(support),
    ...launchConfigurationOperations(support),
    ...instanceOperations(support),
    ...lifecycleOperations(support),
    ...notificationOperations(support),
    ...tagOperations(support),
    ...trafficOperations(support),
    ...activityOperations(support),
    ...instanceRefreshOperations(support),
  };
}
