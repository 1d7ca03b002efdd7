/**
 * What every Auto Scaling operation handler shares: the tables, the clock and ids, the ports for
 * existence checks, `require*` lookups that throw AWS's not-found errors, MaxRecords checks and
 * pagination, and `enqueue` to hand a changed group to its controller. Handlers validate, record
 * intent and enqueue; they never launch, terminate or notify themselves.
 */
import type { Clock } from '../../kernel/clock.js';
import type { RequestContext } from '../../kernel/operation.js';
import { InvalidPageToken, paginate } from '../../kernel/pagination.js';
import type { Page } from '../../kernel/pagination.js';
import type { Random } from '../../kernel/random.js';
import type { Store } from '../../store/store.js';
import { groupNotFound, invalidNextToken, validationError } from './errors.js';
import type { AutoScalingGroupRecord } from './group.js';
import { groupKey, isDeleting } from './group.js';
import type { InstanceRecord } from './instance.js';
import { instanceKey } from './instance.js';
import type { AutoScalingPorts, Scope } from './ports.js';
import type { AutoScalingTables } from './store.js';
import { autoscalingTables, groupInstances, scopePrefix } from './store.js';

export interface AutoScalingOperationsDeps {
  store: Store;
  clock: Clock;
  /** The operations' own stream: group and launch-configuration ARNs, activity ids. */
  random: Random;
  ports: AutoScalingPorts;
  /** Hands a group key to the group controller. */
  enqueue(groupKey: string): void;
}

export class OperationsSupport {
  readonly tables: AutoScalingTables;

  constructor(readonly deps: AutoScalingOperationsDeps) {
    this.tables = autoscalingTables(deps.store);
  }

  get ports(): AutoScalingPorts {
    return this.deps.ports;
  }

  nowMs(): number {
    return this.deps.clock.now();
  }

  uuid(): string {
    return this.deps.random.uuid();
  }

  scope(ctx: RequestContext): Scope {
    return { accountId: ctx.accountId, region: ctx.region };
  }

  groupKey(ctx: RequestContext, name: string): string {
    return groupKey(ctx.accountId, ctx.region, name);
  }

  findGroup(ctx: RequestContext, name: string): AutoScalingGroupRecord | undefined {
    return this.tables.groups.get(this.groupKey(ctx, name));
  }

  requireGroup(ctx: RequestContext, name: string): AutoScalingGroupRecord {
    const group = this.findGroup(ctx, name);
    if (!group) throw groupNotFound(name);
    return group;
  }

  /** A group that is not being deleted (UNCONFIRMED wording for one that is). */
  requireLiveGroup(ctx: RequestContext, name: string): AutoScalingGroupRecord {
    const group = this.requireGroup(ctx, name);
    if (isDeleting(group)) throw validationError(`AutoScalingGroup ${name} is pending delete.`);
    return group;
  }

  groupsInScope(ctx: RequestContext): AutoScalingGroupRecord[] {
    return this.tables.groups.withPrefix(scopePrefix(ctx.accountId, ctx.region));
  }

  instancesOf(group: AutoScalingGroupRecord): InstanceRecord[] {
    return groupInstances(this.tables, group);
  }

  findInstance(ctx: RequestContext, instanceId: string): InstanceRecord | undefined {
    return this.tables.instances.get(instanceKey(ctx.accountId, ctx.region, instanceId));
  }

  putGroup(group: AutoScalingGroupRecord): void {
    this.tables.groups.put(groupKey(group.accountId, group.region, group.autoScalingGroupName), group);
  }

  putInstance(instance: InstanceRecord): void {
    this.tables.instances.put(instanceKey(instance.accountId, instance.region, instance.instanceId), instance);
  }

  enqueue(group: { accountId: string; region: string; autoScalingGroupName: string }): void {
    this.deps.enqueue(groupKey(group.accountId, group.region, group.autoScalingGroupName));
  }

  /** Writes in one transaction, then hands the group to its controller. */
  commit<R>(group: { accountId: string; region: string; autoScalingGroupName: string }, fn: () => R): R {
    const result = this.deps.store.transaction(fn);
    this.enqueue(group);
    return result;
  }
}

/** MaxRecords outside [1, max] is refused in Coral's words, as model validation would. */
export function checkMaxRecords(value: number | undefined, max: number): void {
  if (value === undefined) return;
  if (value < 1 || value > max) {
    const bound = value < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`;
    throw validationError(
      `1 validation error detected: Value '${value}' at 'maxRecords' failed to satisfy constraint: Member must have value ${bound}`,
    );
  }
}

/** paginate with Auto Scaling's InvalidNextToken for a token it did not hand out. */
export function page<T>(items: readonly T[], keyOf: (item: T) => string, limit: number, token?: string): Page<T> {
  try {
    return paginate(items, keyOf, limit, token);
  } catch (error) {
    if (error instanceof InvalidPageToken) throw invalidNextToken();
    throw error;
  }
}

export function sortBy<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  return [...items].sort((a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
