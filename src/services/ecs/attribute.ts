/**
 * ECS attributes: name/value pairs on container instances (`DG:ecs/task-placement-constraints`
 * "Attributes"). The agent sets the built-in ones (`ecs.availability-zone`, `ecs.instance-type`,
 * capabilities…); users add up to 10 custom ones with PutAttributes and remove them with
 * DeleteAttributes. Placement constraints and the cluster query language read both. Pure.
 */
import { ServiceError } from '../../kernel/service-error.js';
import { isBuiltInAttribute, type ContainerInstanceRecord, type InstanceAttribute } from './container-instance.js';
import { invalidParameter } from './errors.js';

/** "You can apply up to 10 custom attributes for each resource." */
export const MAX_CUSTOM_ATTRIBUTES = 10;

const NAME = /^[a-zA-Z0-9_\-/\\.]{1,128}$/;
const VALUE = /^[a-zA-Z0-9_\-.@/\\: ]{1,128}$/;

export const attributeLimitExceeded = () =>
  new ServiceError(
    'AttributeLimitExceededException',
    `You can apply up to ${MAX_CUSTOM_ATTRIBUTES} custom attributes for each resource.`,
  );

export const targetNotFound = (targetId: string) =>
  new ServiceError('TargetNotFoundException', `Could not find the target ${targetId}.`);

export function requireValidAttribute(attribute: { name: string; value?: string | undefined }): void {
  if (!NAME.test(attribute.name)) {
    throw invalidParameter(
      `Invalid attribute name ${attribute.name}: up to 128 letters, numbers, hyphens, underscores, slashes, back slashes and periods.`,
    );
  }
  if (isBuiltInAttribute(attribute.name)) {
    throw invalidParameter(`Attribute ${attribute.name} is reserved for Amazon ECS and cannot be changed.`);
  }
  if (attribute.value !== undefined) {
    if (!VALUE.test(attribute.value) || attribute.value.startsWith(' ') || attribute.value.endsWith(' ')) {
      throw invalidParameter(
        `Invalid value for attribute ${attribute.name}: up to 128 letters, numbers, hyphens, underscores, periods, at signs, slashes, back slashes, colons and inner spaces.`,
      );
    }
  }
}

/** The instance with attributes set (replacing same-named ones); throws past the custom limit. */
export function withAttributes(
  record: ContainerInstanceRecord,
  attributes: readonly InstanceAttribute[],
): ContainerInstanceRecord {
  const byName = new Map(record.attributes.map((attribute) => [attribute.name, attribute]));
  for (const attribute of attributes) {
    byName.set(attribute.name, attribute.value === undefined ? { name: attribute.name } : attribute);
  }
  const next = [...byName.values()];
  if (next.filter((attribute) => !isBuiltInAttribute(attribute.name)).length > MAX_CUSTOM_ATTRIBUTES) {
    throw attributeLimitExceeded();
  }
  return { ...record, attributes: next };
}

export function withoutAttributes(record: ContainerInstanceRecord, names: readonly string[]): ContainerInstanceRecord {
  const removed = new Set(names);
  return { ...record, attributes: record.attributes.filter((attribute) => !removed.has(attribute.name)) };
}
