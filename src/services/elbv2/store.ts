/**
 * ELBv2's tables. Load balancers, listeners, rules and target groups are keyed by their ARNs,
 * which begin with `arn:aws:elasticloadbalancing:<region>:<account>:<kind>/`, so one scope's
 * resources of a kind are one prefix scan. Targets are keyed `<target group ARN>|<id>|<port>`
 * (a target's identity is its id and port, C.4). `addresses` holds the loopback address
 * allocator: a load balancer's address is never handed out again.
 */
import type { Migration, Store, Table } from '../../store/store.js';
import type { ListenerRecord, RuleRecord } from './listener.js';
import type { LoadBalancerRecord } from './load-balancer.js';
import type { TargetGroupRecord } from './target-group.js';
import type { TargetRecord } from './target-health.js';

export const elbv2Migrations: Migration[] = [
  {
    service: 'elbv2',
    version: 1,
    description: 'load balancers, listeners, rules, target groups, targets and the load-balancer address allocator',
    up: (db) => {
      db.createTable('loadBalancers');
      db.createTable('listeners');
      db.createTable('rules');
      db.createTable('targetGroups');
      db.createTable('targets');
      db.createTable('addresses');
    },
  },
];

export interface AddressAllocatorRecord {
  lastIndex: number;
}

export const ADDRESS_ALLOCATOR_KEY = 'load-balancers';

export interface Elbv2Tables {
  loadBalancers: Table<LoadBalancerRecord>;
  listeners: Table<ListenerRecord>;
  rules: Table<RuleRecord>;
  targetGroups: Table<TargetGroupRecord>;
  targets: Table<TargetRecord>;
  addresses: Table<AddressAllocatorRecord>;
}

export function elbv2Tables(store: Store): Elbv2Tables {
  return {
    loadBalancers: store.table<LoadBalancerRecord>('elbv2', 'loadBalancers'),
    listeners: store.table<ListenerRecord>('elbv2', 'listeners'),
    rules: store.table<RuleRecord>('elbv2', 'rules'),
    targetGroups: store.table<TargetGroupRecord>('elbv2', 'targetGroups'),
    targets: store.table<TargetRecord>('elbv2', 'targets'),
    addresses: store.table<AddressAllocatorRecord>('elbv2', 'addresses'),
  };
}

export function targetKey(targetGroupArn: string, id: string, port: number): string {
  return `${targetGroupArn}|${id}|${port}`;
}

export function targetGroupArnOfTargetKey(key: string): string {
  return key.slice(0, key.indexOf('|'));
}

export function targetsOf(tables: Elbv2Tables, targetGroupArn: string): TargetRecord[] {
  return tables.targets.withPrefix(`${targetGroupArn}|`);
}
