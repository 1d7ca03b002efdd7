/**
 * What Auto Scaling needs from outside. main.ts binds each port: EC2 to the EC2 service,
 * notifications to EventBridge / SNS / SQS (a recorder until those land), target groups to ELBv2
 * (until ELBv2 lands: no target group exists, so attaching one is a ValidationError).
 */
import type { EventBusPort } from '../events/ports.js';

export interface Scope {
  accountId: string;
  region: string;
}

export interface LaunchTemplateRef {
  launchTemplateId?: string;
  launchTemplateName?: string;
  /** `$Latest`, `$Default` or a version number; absent = `$Default`. */
  version?: string;
}

export interface ResolvedLaunchTemplate {
  launchTemplateId: string;
  launchTemplateName: string;
  /** The version a launch uses now, as a number string (`$Latest`/`$Default` resolved). */
  version: string;
  instanceType?: string;
  imageId?: string;
}

/** A launch configuration's launch parameters (Auto Scaling owns launch configurations). */
export interface LaunchParameters {
  imageId: string;
  instanceType: string;
  /** Base64 user data, as the API carries it. */
  userDataBase64?: string;
  keyName?: string;
  securityGroups?: string[];
}

export interface LaunchRequest {
  launchTemplate?: { launchTemplateId: string; version: string; instanceTypeOverride?: string };
  launchConfiguration?: LaunchParameters;
  subnetId: string;
  availabilityZone: string;
  /** Propagated group tags plus `aws:autoscaling:groupName`. */
  tags: Array<{ key: string; value: string }>;
}

export interface Ec2InstanceView {
  instanceId: string;
  state: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';
  instanceType: string;
  availabilityZone: string;
  subnetId: string;
  launchTimeMs: number;
  launchTemplate?: { launchTemplateId: string; launchTemplateName: string; version: string };
}

export interface SubnetView {
  subnetId: string;
  availabilityZone: string;
  vpcId: string;
}

/** Auto Scaling's view of EC2. Calls are synchronous: both live in one process and one store. */
export interface Ec2Port {
  /** What a launch from this template would use now; `missing` says which part does not exist. */
  resolveLaunchTemplate(
    scope: Scope,
    ref: LaunchTemplateRef,
  ): ResolvedLaunchTemplate | { missing: 'template' | 'version' };
  availabilityZones(scope: Scope): string[];
  /** The subnets that exist, among these ids (Auto Scaling reports the others in its own words). */
  describeSubnets(scope: Scope, subnetIds: string[]): SubnetView[];
  /** The default VPC's subnet in that zone (groups given only AvailabilityZones launch there). */
  defaultSubnet(scope: Scope, availabilityZone: string): SubnetView | undefined;
  instanceTypeExists(instanceType: string): boolean;
  /** Starts an instance now (EC2 state `pending`); it reports `running` later through the state listener. */
  launch(scope: Scope, request: LaunchRequest): Ec2InstanceView;
  /** Starts termination (`shutting-down`); `terminated` is reported later. Unknown/terminated ids are ignored. */
  terminate(scope: Scope, instanceId: string, reason: string): void;
  instance(scope: Scope, instanceId: string): Ec2InstanceView | undefined;
}

/** SNS topics and SQS queues named by a hook's NotificationTargetARN or a notification configuration. */
export interface NotificationTargetsPort {
  /** Whether the topic/queue exists and can be delivered to (hooks and configurations check at Put time). */
  canDeliver(scope: Scope, targetArn: string): boolean;
  /** Delivers `body` to the topic/queue; best-effort, never throws back. */
  deliver(scope: Scope, targetArn: string, body: string, subject?: string): void;
}

export interface TargetHealthView {
  instanceId: string;
  /** ELBv2 target states: initial, healthy, unhealthy, unused, draining, unavailable. */
  state: string;
}

/** ELBv2 target groups the group registers its instances with. */
export interface TargetGroupsPort {
  /** The ARNs among these that name no existing target group. */
  missing(scope: Scope, targetGroupArns: string[]): string[];
  register(scope: Scope, targetGroupArn: string, instanceIds: string[]): void;
  deregister(scope: Scope, targetGroupArn: string, instanceIds: string[]): void;
  /** True while any of these instances is still `draining` in the target group. */
  isDraining(scope: Scope, targetGroupArn: string, instanceId: string): boolean;
  health(scope: Scope, targetGroupArn: string, instanceIds: string[]): TargetHealthView[];
}

export interface AutoScalingPorts {
  ec2: Ec2Port;
  eventBus: EventBusPort;
  notificationTargets: NotificationTargetsPort;
  targetGroups: TargetGroupsPort;
}
