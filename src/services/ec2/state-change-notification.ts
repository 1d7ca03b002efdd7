/**
 * `EC2 Instance State-change Notification` and `EC2 Spot Instance Interruption Warning` (EC2 User
 * Guide, "EventBridge for Amazon EC2"), and the state listener other services hear changes on.
 * Nothing is told before the change is committed: a notification is queued when the instance is
 * written and delivered by the store's commit hook, so a change made inside a caller's larger
 * transaction (Auto Scaling launching through its port) is heard only once that commits, and one
 * whose transaction rolled back is never heard.
 */
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { Change, Store, Table } from '../../store/store.js';
import type { AwsEventInput } from '../events/ports.js';
import { instanceArn, type InstanceRecord, type InstanceStateName } from './instance.js';
import type { Ec2Ports, InstanceStateChange } from './ports.js';
import { tagRecord } from './tags.js';

export const STATE_CHANGE_DETAIL_TYPE = 'EC2 Instance State-change Notification';
export const SPOT_WARNING_DETAIL_TYPE = 'EC2 Spot Instance Interruption Warning';

interface Pending {
  key: string;
  revision: number;
  kind: 'state' | 'spot-warning';
  previousState: InstanceStateName | undefined;
  record: InstanceRecord;
}

export function decodeUserData(userData: string | undefined): string {
  return userData ? Buffer.from(userData, 'base64').toString('utf8') : '';
}

export function toStateChange(
  record: InstanceRecord,
  previousState: InstanceStateName | undefined,
): InstanceStateChange {
  return {
    accountId: record.accountId,
    region: record.region,
    instanceId: record.instanceId,
    previousState,
    state: record.state,
    instanceType: record.instanceType,
    availabilityZone: record.availabilityZone,
    subnetId: record.subnetId,
    privateIpAddress: record.privateIpAddress,
    imageId: record.imageId,
    userData: decodeUserData(record.userData),
    tags: tagRecord(record.tags),
    launchTimeMs: record.launchTimeMs,
    reason: record.changeReason,
  };
}

export function stateChangeEvent(record: InstanceRecord, timeMs: number): AwsEventInput {
  return {
    accountId: record.accountId,
    region: record.region,
    source: 'aws.ec2',
    detailType: STATE_CHANGE_DETAIL_TYPE,
    resources: [instanceArn(record)],
    detail: { 'instance-id': record.instanceId, state: record.state },
    timeMs,
  };
}

export function spotWarningEvent(record: InstanceRecord, timeMs: number): AwsEventInput {
  return {
    accountId: record.accountId,
    region: record.region,
    source: 'aws.ec2',
    detailType: SPOT_WARNING_DETAIL_TYPE,
    resources: [instanceArn(record)],
    detail: { 'instance-id': record.instanceId, 'instance-action': 'terminate' },
    timeMs,
  };
}

export interface StateChangeNotifierDeps {
  store: Store;
  instances: Table<InstanceRecord>;
  clock: Clock;
  ports: Ec2Ports;
  logger: Logger;
}

export class StateChangeNotifier {
  private pending: Pending[] = [];

  constructor(private readonly deps: StateChangeNotifierDeps) {
    deps.store.onCommit((changes) => this.flush(changes));
  }

  /** Queue before writing `record`: it is delivered when the write commits. */
  stateChanged(key: string, previousState: InstanceStateName | undefined, record: InstanceRecord): void {
    this.pending.push({ key, revision: record.revision, kind: 'state', previousState, record });
  }

  spotWarning(key: string, record: InstanceRecord): void {
    this.pending.push({ key, revision: record.revision, kind: 'spot-warning', previousState: record.state, record });
  }

  private flush(changes: readonly Change[]): void {
    if (this.pending.length === 0) return;
    const written = new Set<string>();
    for (const change of changes) if (change.service === 'ec2' && change.table === 'instances') written.add(change.key);
    // Whatever is queued now was written in the transaction that just committed, or in one that
    // rolled back (its key was not written, or not at this revision). A rollback followed by a
    // retry queues the same key and revision twice: the later entry is the committed one.
    const batch = new Map<string, Pending>();
    for (const item of this.pending.splice(0)) {
      const id = `${item.kind}#${item.key}#${item.revision}`;
      batch.delete(id);
      batch.set(id, item);
    }
    for (const item of batch.values()) {
      if (!written.has(item.key)) continue;
      const stored = this.deps.instances.get(item.key);
      if (stored && stored.revision < item.revision) continue;
      this.deliver(item);
    }
  }

  private deliver(item: Pending): void {
    const { ports, logger, clock } = this.deps;
    const nowMs = clock.now();
    try {
      ports.eventBus.publish(
        item.kind === 'state' ? stateChangeEvent(item.record, nowMs) : spotWarningEvent(item.record, nowMs),
      );
    } catch (error) {
      logger.warn({ err: error, instanceId: item.record.instanceId }, 'event bus refused an EC2 event');
    }
    if (item.kind !== 'state') return;
    try {
      ports.instanceStateListener.instanceStateChanged(toStateChange(item.record, item.previousState));
    } catch (error) {
      logger.error(
        { err: error, instanceId: item.record.instanceId, state: item.record.state },
        'an instance state listener failed',
      );
    }
  }
}
