/**
 * ECS task-definition operations: RegisterTaskDefinition (revisions per family),
 * DescribeTaskDefinition (`family`, `family:revision` or ARN; a bare family is its latest ACTIVE
 * revision), ListTaskDefinitionFamilies, ListTaskDefinitions (status, sort, paging),
 * DeregisterTaskDefinition (INACTIVE) and DeleteTaskDefinitions (DELETE_IN_PROGRESS).
 */
import type {
  DeleteTaskDefinitionsRequest,
  DeleteTaskDefinitionsResponse,
  DeregisterTaskDefinitionRequest,
  DeregisterTaskDefinitionResponse,
  DescribeTaskDefinitionRequest,
  DescribeTaskDefinitionResponse,
  Failure,
  ListTaskDefinitionFamiliesRequest,
  ListTaskDefinitionFamiliesResponse,
  ListTaskDefinitionsRequest,
  ListTaskDefinitionsResponse,
  RegisterTaskDefinitionRequest,
  RegisterTaskDefinitionResponse,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { OperationHandler, OperationTable } from '../../kernel/operation.js';
import type { EcsContext, Scope } from './context.js';
import { clientException, invalidParameter, taskDefinitionNotDescribable } from './errors.js';
import { pageInOrder, pageOf } from './page.js';
import { scopedKey, taskDefinitionKey } from './store.js';
import {
  newTaskDefinition,
  parseTaskDefinitionIdentifier,
  taskDefinitionArnOf,
  toTaskDefinition,
  type TaskDefinitionRecord,
} from './task-definition.js';

/** `M:ecs` DeleteTaskDefinitions: up to 10 at a time. */
export const MAX_DELETE_TASK_DEFINITIONS = 10;

/** The revision an identifier names (a bare family: its latest ACTIVE one), or undefined. */
export function findTaskDefinition(
  ctx: EcsContext,
  scope: Scope,
  identifier: string,
): TaskDefinitionRecord | undefined {
  const parsed = parseTaskDefinitionIdentifier(identifier);
  if (!parsed) return undefined;
  if (parsed.revision !== undefined) {
    return ctx.tables.taskDefinitions.get(
      taskDefinitionKey(scope.accountId, scope.region, parsed.family, parsed.revision),
    );
  }
  const revisions = ctx.tables.taskDefinitions.withPrefix(`${scope.accountId}/${scope.region}/${parsed.family}/`);
  return revisions.filter((record) => record.status === 'ACTIVE').pop();
}

export function taskDefinitionOperations(ctx: EcsContext): OperationTable {
  const { taskDefinitions, taskDefinitionFamilies } = ctx.tables;
  const withTags = (record: TaskDefinitionRecord, include: readonly string[] | undefined) =>
    include?.includes('TAGS') ? { tags: record.tags } : {};
  const keyOf = (record: TaskDefinitionRecord) =>
    taskDefinitionKey(record.accountId, record.region, record.family, record.revision);

  const RegisterTaskDefinition: OperationHandler<RegisterTaskDefinitionRequest, RegisterTaskDefinitionResponse> = (
    input,
    scope,
  ) =>
    ctx.transact(() => {
      const familyKey = scopedKey(scope.accountId, scope.region, input.family ?? '');
      const revision = (taskDefinitionFamilies.get(familyKey)?.lastRevision ?? 0) + 1;
      const record = newTaskDefinition(input, { ...scope, revision, nowMs: ctx.clock.now() });
      taskDefinitionFamilies.put(familyKey, { ...scope, family: record.family, lastRevision: revision });
      taskDefinitions.put(keyOf(record), record);
      return { taskDefinition: toTaskDefinition(record), tags: record.tags };
    });

  const DescribeTaskDefinition: OperationHandler<DescribeTaskDefinitionRequest, DescribeTaskDefinitionResponse> = (
    input,
    scope,
  ) => {
    const record = findTaskDefinition(ctx, scope, input.taskDefinition ?? '');
    if (!record) throw taskDefinitionNotDescribable();
    return { taskDefinition: toTaskDefinition(record), ...withTags(record, input.include) };
  };

  const ListTaskDefinitionFamilies: OperationHandler<
    ListTaskDefinitionFamiliesRequest,
    ListTaskDefinitionFamiliesResponse
  > = (input, scope) => {
    // Without a status, ECS lists families with and without ACTIVE revisions alike.
    const status = input.status ?? 'ALL';
    const families = taskDefinitionFamilies
      .withPrefix(scopedKey(scope.accountId, scope.region, input.familyPrefix ?? ''))
      .map((family) => family.family)
      .filter((family) => {
        if (status === 'ALL') return true;
        const active = taskDefinitions
          .withPrefix(`${scope.accountId}/${scope.region}/${family}/`)
          .some((record) => record.status === 'ACTIVE');
        return status === 'ACTIVE' ? active : !active;
      });
    const page = pageOf(families, (family) => family, input.maxResults, input.nextToken);
    return { families: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  };

  const ListTaskDefinitions: OperationHandler<ListTaskDefinitionsRequest, ListTaskDefinitionsResponse> = (
    input,
    scope,
  ) => {
    const status = input.status ?? 'ACTIVE';
    // familyPrefix is, despite its name, a whole family name (`M:ecs` ListTaskDefinitions).
    const prefix = input.familyPrefix
      ? `${scope.accountId}/${scope.region}/${input.familyPrefix}/`
      : `${scope.accountId}/${scope.region}/`;
    const matching = taskDefinitions.withPrefix(prefix).filter((record) => record.status === status);
    const page =
      input.sort === 'DESC'
        ? pageInOrder([...matching].reverse(), input.maxResults, input.nextToken)
        : pageOf(matching, keyOf, input.maxResults, input.nextToken);
    return {
      taskDefinitionArns: page.items.map((record) => record.taskDefinitionArn),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  };

  const DeregisterTaskDefinition: OperationHandler<
    DeregisterTaskDefinitionRequest,
    DeregisterTaskDefinitionResponse
  > = (input, scope) => {
    const parsed = parseTaskDefinitionIdentifier(input.taskDefinition ?? '');
    if (parsed && parsed.revision === undefined) {
      throw invalidParameter('A task definition revision is required: give family:revision or the full ARN.');
    }
    const record = findTaskDefinition(ctx, scope, input.taskDefinition ?? '');
    if (!record) throw taskDefinitionNotDescribable();
    if (record.status !== 'ACTIVE') return { taskDefinition: toTaskDefinition(record) };
    const next: TaskDefinitionRecord = { ...record, status: 'INACTIVE', deregisteredAtMs: ctx.clock.now() };
    taskDefinitions.put(keyOf(next), next);
    return { taskDefinition: toTaskDefinition(next) };
  };

  const DeleteTaskDefinitions: OperationHandler<DeleteTaskDefinitionsRequest, DeleteTaskDefinitionsResponse> = (
    input,
    scope,
  ) => {
    const identifiers = input.taskDefinitions ?? [];
    if (identifiers.length === 0) throw invalidParameter('Task definitions cannot be empty.');
    if (identifiers.length > MAX_DELETE_TASK_DEFINITIONS) {
      throw invalidParameter(`Task definitions cannot have more than ${MAX_DELETE_TASK_DEFINITIONS} elements.`);
    }
    const deleted: TaskDefinition[] = [];
    const failures: Failure[] = [];
    ctx.transact(() => {
      for (const identifier of identifiers) {
        const parsed = parseTaskDefinitionIdentifier(identifier);
        if (!parsed || parsed.revision === undefined) {
          throw clientException(
            'The specified task definition identifier is invalid. Specify a valid name or ARN and try again.',
          );
        }
        const arn = taskDefinitionArnOf(scope.accountId, scope.region, parsed.family, parsed.revision);
        const record = findTaskDefinition(ctx, scope, identifier);
        if (!record) {
          failures.push({ arn, reason: 'The specified task definition does not exist.' });
        } else if (record.status === 'ACTIVE') {
          failures.push({
            arn,
            reason:
              'The specified task definition is still in ACTIVE status. Please deregister the target and try again.',
          });
        } else {
          // Tasks that use it keep it describable; drydock keeps the record, as ECS does until
          // nothing references it.
          const next: TaskDefinitionRecord =
            record.status === 'DELETE_IN_PROGRESS'
              ? record
              : { ...record, status: 'DELETE_IN_PROGRESS', deleteRequestedAtMs: ctx.clock.now() };
          taskDefinitions.put(keyOf(next), next);
          deleted.push(toTaskDefinition(next));
        }
      }
    });
    return { taskDefinitions: deleted, failures };
  };

  return {
    RegisterTaskDefinition,
    DescribeTaskDefinition,
    ListTaskDefinitionFamilies,
    ListTaskDefinitions,
    DeregisterTaskDefinition,
    DeleteTaskDefinitions,
  };
}
