/**
 * What EC2's operations, its Auto Scaling port and its admin calls share: the tables, the clock,
 * the seeded ids, the timings, the notifier, and the two writes with side rules: the default
 * network appears on first use of an account and Region, and every instance write is queued for
 * notification and handed to the instance controller.
 */
import type { Clock } from '../../kernel/clock.js';
import type { ControlLoop } from '../../kernel/control-loop.js';
import type { Logger } from '../../kernel/logger.js';
import type { RequestContext } from '../../kernel/operation.js';
import type { Random } from '../../kernel/random.js';
import type { Store } from '../../store/store.js';
import { planDefaultNetwork, type DefaultNetwork } from './default-vpc.js';
import type { InstanceRecord } from './instance.js';
import { INSTANCE_CONTROLLER } from './instance-controller.js';
import type { StateChangeNotifier } from './state-change-notification.js';
import { resourceKey, scopePrefix, type Ec2Tables, type Scope } from './store.js';
import type { Ec2Timings } from './timings.js';

export const scopeOf = (request: RequestContext): Scope => ({ accountId: request.accountId, region: request.region });

export interface Ec2Context {
  store: Store;
  tables: Ec2Tables;
  clock: Clock;
  /** EC2's own id stream (instances, VPCs, templates …). */
  random: Random;
  timings: Ec2Timings;
  logger: Logger;
  notifier: StateChangeNotifier;
  controlLoop: ControlLoop;
}

/** The account's default VPC, subnets and security group in the Region, created if absent. */
export function defaultNetwork(ctx: Ec2Context, scope: Scope): DefaultNetwork {
  const { vpcs, subnets, securityGroups } = ctx.tables;
  const prefix = scopePrefix(scope);
  const vpc = vpcs.withPrefix(prefix).find((candidate) => candidate.isDefault);
  if (vpc) {
    return {
      vpc,
      subnets: subnets.withPrefix(prefix).filter((subnet) => subnet.vpcId === vpc.vpcId && subnet.defaultForAz),
      securityGroup: securityGroups
        .withPrefix(prefix)
        .find((group) => group.vpcId === vpc.vpcId && group.groupName === 'default')!,
    };
  }
  const network = planDefaultNetwork(scope, ctx.random);
  ctx.store.transaction(() => {
    vpcs.put(resourceKey(scope, network.vpc.vpcId), network.vpc);
    for (const subnet of network.subnets) subnets.put(resourceKey(scope, subnet.subnetId), subnet);
    securityGroups.put(resourceKey(scope, network.securityGroup.groupId), network.securityGroup);
  });
  return network;
}

/**
 * Writes an instance. A change of state is queued for the listeners (delivered on commit), and
 * the controller is asked to look at the instance, which finds its next deadline itself.
 */
export function saveInstance(ctx: Ec2Context, before: InstanceRecord | undefined, after: InstanceRecord): void {
  const key = resourceKey(after, after.instanceId);
  if (before?.state !== after.state) ctx.notifier.stateChanged(key, before?.state, after);
  ctx.tables.instances.put(key, after);
  ctx.controlLoop.enqueue(INSTANCE_CONTROLLER, key);
}

export function instancesOf(ctx: Ec2Context, scope: Scope): InstanceRecord[] {
  return ctx.tables.instances.withPrefix(scopePrefix(scope));
}
