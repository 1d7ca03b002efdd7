/**
 * What ECS capacity providers ask of Auto Scaling (the AutoScalingGroupsPort of ecs/ports.ts):
 * read a group with its instances, and the API calls ECS makes on a customer's group on AWS —
 * SetDesiredCapacity (managed scaling), SetInstanceProtection (managed termination protection),
 * Put/DeleteLifecycleHook and RecordLifecycleActionHeartbeat/CompleteLifecycleAction (managed
 * draining). The writes go through the operation handlers themselves, so they are checked,
 * recorded and reconciled exactly as the same calls from a client would be.
 */
import type { OperationTable, RequestContext } from '../../kernel/operation.js';
import type { Store } from '../../store/store.js';
import type { AutoScalingGroupsPort, AutoScalingGroupView } from '../ecs/ports.js';
import type { AutoScalingGroupRecord } from './group.js';
import { groupKey, isDeleting } from './group.js';
import { isOpen } from './lifecycle-action.js';
import { launchConfigurationKey } from './launch-configuration.js';
import type { Ec2Port, Scope } from './ports.js';
import { autoscalingTables, groupInstances } from './store.js';

/** SetInstanceProtection takes at most 50 instance ids a call (`M:asg`). */
const PROTECTION_BATCH = 50;

export interface EcsCapacityPortDeps {
  store: Store;
  operations: OperationTable;
  ec2: Ec2Port;
}

export function createEcsCapacityPort(deps: EcsCapacityPortDeps): AutoScalingGroupsPort {
  const tables = autoscalingTables(deps.store);
  let requests = 0;
  const call = (scope: Scope, operationName: string, input: object): void => {
    const handler = deps.operations[operationName];
    if (!handler) throw new Error(`Auto Scaling does not implement ${operationName}`);
    requests += 1;
    const context: RequestContext = {
      ...scope,
      requestId: `ecs-capacity-provider-${requests}`,
      serviceId: 'autoscaling',
      operationName,
    };
    // The handlers are synchronous: both services share one process and one store.
    void handler(input as never, context);
  };

  const findGroup = (scope: Scope, arnOrName: string): AutoScalingGroupRecord | undefined => {
    const marker = ':autoScalingGroupName/';
    const at = arnOrName.indexOf(marker);
    if (at < 0) return tables.groups.get(groupKey(scope.accountId, scope.region, arnOrName));
    const name = arnOrName.slice(at + marker.length);
    const group = tables.groups.get(groupKey(scope.accountId, scope.region, name));
    return group?.autoScalingGroupArn === arnOrName ? group : undefined;
  };

  const launchInstanceType = (scope: Scope, group: AutoScalingGroupRecord): string | undefined => {
    if (group.launchTemplate) {
      const resolved = deps.ec2.resolveLaunchTemplate(scope, group.launchTemplate);
      return 'missing' in resolved ? undefined : resolved.instanceType;
    }
    if (group.launchConfigurationName !== undefined) {
      const key = launchConfigurationKey(scope.accountId, scope.region, group.launchConfigurationName);
      return tables.launchConfigurations.get(key)?.instanceType;
    }
    return undefined;
  };

  return {
    describeGroup(scope, groupArnOrName) {
      const group = findGroup(scope, groupArnOrName);
      if (!group || isDeleting(group)) return undefined;
      const view: AutoScalingGroupView = {
        autoScalingGroupName: group.autoScalingGroupName,
        autoScalingGroupArn: group.autoScalingGroupArn,
        minSize: group.minSize,
        maxSize: group.maxSize,
        desiredCapacity: group.desiredCapacity,
        newInstancesProtectedFromScaleIn: group.newInstancesProtectedFromScaleIn,
        instances: groupInstances(tables, group).map((instance) => ({
          instanceId: instance.instanceId,
          lifecycleState: instance.lifecycleState,
          protectedFromScaleIn: instance.protectedFromScaleIn,
          availabilityZone: instance.availabilityZone,
          instanceType: instance.instanceType,
          launchedAtMs: instance.launchedAtMs,
          waitingOnHooks: instance.lifecycleActions.filter(isOpen).map((action) => action.lifecycleHookName),
        })),
        lifecycleHooks: group.lifecycleHooks.map((hook) => hook.lifecycleHookName),
      };
      const instanceType = launchInstanceType(scope, group);
      if (instanceType !== undefined) view.launchInstanceType = instanceType;
      return view;
    },
    setDesiredCapacity(scope, groupName, desired) {
      call(scope, 'SetDesiredCapacity', { AutoScalingGroupName: groupName, DesiredCapacity: desired });
    },
    setInstanceProtection(scope, groupName, instanceIds, protectedFromScaleIn) {
      for (let at = 0; at < instanceIds.length; at += PROTECTION_BATCH) {
        call(scope, 'SetInstanceProtection', {
          AutoScalingGroupName: groupName,
          InstanceIds: instanceIds.slice(at, at + PROTECTION_BATCH),
          ProtectedFromScaleIn: protectedFromScaleIn,
        });
      }
    },
    putLifecycleHook(scope, groupName, hook) {
      call(scope, 'PutLifecycleHook', {
        AutoScalingGroupName: groupName,
        LifecycleHookName: hook.name,
        LifecycleTransition: hook.transition,
        HeartbeatTimeout: hook.heartbeatTimeoutS,
        DefaultResult: hook.defaultResult,
      });
    },
    deleteLifecycleHook(scope, groupName, hookName) {
      call(scope, 'DeleteLifecycleHook', { AutoScalingGroupName: groupName, LifecycleHookName: hookName });
    },
    recordHeartbeat(scope, groupName, hookName, instanceId) {
      call(scope, 'RecordLifecycleActionHeartbeat', {
        AutoScalingGroupName: groupName,
        LifecycleHookName: hookName,
        InstanceId: instanceId,
      });
    },
    completeLifecycleAction(scope, groupName, hookName, instanceId, result) {
      call(scope, 'CompleteLifecycleAction', {
        AutoScalingGroupName: groupName,
        LifecycleHookName: hookName,
        InstanceId: instanceId,
        LifecycleActionResult: result,
      });
    },
  };
}
