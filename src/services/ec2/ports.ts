/**
 * What EC2 needs from outside, and what it offers other services (their ports name the shapes
 * they need; main.ts wires them together).
 *
 * - EventBridge: `EC2 Instance State-change Notification`, Spot interruption warnings.
 * - Instance state listeners: every state change of an instance is reported as a fact, so Auto
 *   Scaling can move its lifecycle on and ECS's agent can register a container instance.
 */
import type { EventBusPort } from '../events/ports.js';

export type InstanceStateName = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

export interface InstanceStateChange {
  accountId: string;
  region: string;
  instanceId: string;
  previousState: InstanceStateName | undefined;
  state: InstanceStateName;
  instanceType: string;
  availabilityZone: string;
  subnetId: string;
  privateIpAddress: string;
  imageId: string;
  /** Decoded user data (UTF-8), e.g. with `ECS_CLUSTER=…` lines; '' when none. */
  userData: string;
  /** Tags as key → value, including `aws:autoscaling:groupName` for Auto Scaling instances. */
  tags: Record<string, string>;
  launchTimeMs: number;
  /** Why it changed, e.g. `User initiated`, `Spot interruption`, `Instance failure`. */
  reason: string;
}

export interface InstanceStateListener {
  instanceStateChanged(change: InstanceStateChange): void;
}

export interface Ec2Ports {
  eventBus: EventBusPort;
  /** Called after the change is committed to the store. */
  instanceStateListener: InstanceStateListener;
}
