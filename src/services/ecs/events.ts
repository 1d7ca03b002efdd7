/**
 * ECS's EventBridge events (B.12, `DG:ecs/ecs_cwe_events`; source `aws.ecs`): `ECS Task State
 * Change` (detail = the Task, resources [taskArn]) and `ECS Container Instance State Change`
 * (detail = the ContainerInstance plus clusterArn, resources [containerInstanceArn]).
 * `detail.version` is the resource's version; timestamps in `detail` are ISO-8601 strings.
 */
import type { ContainerInstance, Task } from '@aws-sdk/client-ecs';
import type { AwsEventInput } from '../events/ports.js';
import type { ContainerInstanceRecord } from './container-instance.js';
import type { TaskRecord } from './task.js';

export const ECS_SOURCE = 'aws.ecs';
export const TASK_STATE_CHANGE = 'ECS Task State Change';
export const CONTAINER_INSTANCE_STATE_CHANGE = 'ECS Container Instance State Change';

/** Dates → ISO strings, recursively, so the detail is plain JSON as EventBridge delivers it. */
function jsonDetail(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(jsonDetail);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) if (member !== undefined) out[key] = jsonDetail(member);
    return out;
  }
  return value;
}

export function taskStateChangeEvent(record: TaskRecord, task: Task): AwsEventInput {
  // The event carries the Task without its tags (B.12 lists no tags), plus updatedAt.
  const { tags: _tags, ...withoutTags } = task;
  const detail = jsonDetail({ ...withoutTags, updatedAt: new Date(record.updatedAtMs) }) as Record<string, unknown>;
  return {
    accountId: record.accountId,
    region: record.region,
    source: ECS_SOURCE,
    detailType: TASK_STATE_CHANGE,
    resources: [record.taskArn],
    detail,
    timeMs: record.updatedAtMs,
  };
}

export function containerInstanceStateChangeEvent(
  record: ContainerInstanceRecord,
  containerInstance: ContainerInstance,
): AwsEventInput {
  const detail = jsonDetail({
    ...containerInstance,
    clusterArn: record.clusterArn,
    updatedAt: new Date(record.updatedAtMs),
  }) as Record<string, unknown>;
  return {
    accountId: record.accountId,
    region: record.region,
    source: ECS_SOURCE,
    detailType: CONTAINER_INSTANCE_STATE_CHANGE,
    resources: [record.containerInstanceArn],
    detail,
    timeMs: record.updatedAtMs,
  };
}
