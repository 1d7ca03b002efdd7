/**
 * What ECS needs from outside, and what it offers the task runtime. main.ts wires them:
 * - the task runtime (dataplane/ real processes in real time, sim/ simulated in virtual time)
 *   starts and stops containers and reports what it observes back as facts;
 * - the runtime serves the task metadata endpoint v4 and the agent's task-protection endpoint to
 *   the task's processes, answering from ECS's state through `AgentApi`;
 * - EventBridge gets `ECS Task State Change` / `ECS Container Instance State Change`.
 * Container instances are registered from EC2 instance state changes (ec2/ports.ts
 * InstanceStateChange), which main.ts forwards to ECS.
 * - Auto Scaling groups behind capacity providers (B.8): ECS reads a group, sets its desired
 *   capacity and its instances' scale-in protection, installs the managed-draining hook and
 *   heartbeats/completes its lifecycle actions, all through `AutoScalingGroupsPort`.
 */
import type { EventBusPort } from '../events/ports.js';

export interface PortMappingSpec {
  containerPort: number;
  /** Resolved by placement: a dynamic (0) host port is allocated before the runtime sees it. */
  hostPort: number;
  protocol: 'tcp' | 'udp';
}

export interface HealthCheckSpec {
  /** `['CMD', …]` or `['CMD-SHELL', '…']`, as in the task definition. */
  command: string[];
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
}

export interface ContainerSpec {
  name: string;
  image: string;
  essential: boolean;
  entryPoint: string[];
  command: string[];
  environment: Record<string, string>;
  workingDirectory?: string;
  portMappings: PortMappingSpec[];
  /** Container stopTimeout, else the agent default (30 s): SIGTERM, then SIGKILL after this. */
  stopTimeoutMs: number;
  healthCheck?: HealthCheckSpec;
  dependsOn: Array<{ containerName: string; condition: 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY' }>;
}

export interface TaskSpec {
  taskArn: string;
  taskId: string;
  clusterArn: string;
  containerInstanceArn: string;
  ec2InstanceId: string;
  availabilityZone: string;
  family: string;
  revision: number;
  /** The container instance's own loopback address (e.g. 127.1.0.7): processes listen there. */
  hostAddress: string;
  containers: ContainerSpec[];
}

export interface ContainerLogLine {
  atMs: number;
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface TaskRuntimePort {
  /** Starts the task's containers (in dependsOn order); progress comes back through the listener. */
  start(task: TaskSpec): void;
  /**
   * SIGTERM to every running container, SIGKILL to those still running after their stopTimeout.
   * Containers not started yet are not started any more (and need not be reported); every
   * container that did start is reported through containerExited. Stopping an unknown or
   * already stopped task is a no-op.
   */
  stop(taskArn: string): void;
  logs(taskArn: string, containerName?: string): Array<{ containerName: string; lines: ContainerLogLine[] }>;
}

/** Facts the runtime observes, reported to ECS (which records them and reconciles). */
export interface TaskRuntimeListener {
  containerStarted(taskArn: string, containerName: string, pid: number | undefined): void;
  /** exitCode null when the process could not be started at all (reason says why). */
  containerExited(taskArn: string, containerName: string, exitCode: number | null, reason: string): void;
  containerHealthChanged(taskArn: string, containerName: string, status: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN'): void;
}

/** Answers the endpoints the runtime serves to a task's processes, from ECS's own state. */
export interface AgentApi {
  /** Task metadata endpoint v4 `/task` (shape of the ECS docs' "Task metadata v4 JSON response"). */
  taskMetadata(taskArn: string): Record<string, unknown> | undefined;
  /** `/` (the container's own metadata) for one container. */
  containerMetadata(taskArn: string, containerName: string): Record<string, unknown> | undefined;
  /** `GET $ECS_AGENT_URI/task-protection/v1/state`. */
  getTaskProtection(taskArn: string): Record<string, unknown>;
  /** `PUT $ECS_AGENT_URI/task-protection/v1/state` with `{ProtectionEnabled, ExpiresInMinutes}`. */
  putTaskProtection(
    taskArn: string,
    body: { ProtectionEnabled?: unknown; ExpiresInMinutes?: unknown },
  ): {
    status: number;
    body: Record<string, unknown>;
  };
}

/**
 * The instance-type catalogue, as far as the container agent needs it: the registered CPU
 * (1024 units per vCPU) and memory of a container instance come from its instance type.
 * main.ts binds it to EC2's catalogue; undefined means a type drydock does not know.
 */
export interface InstanceTypeFacts {
  vCpus: number;
  memoryMiB: number;
  architecture: 'x86_64' | 'arm64';
}

export interface InstanceTypesPort {
  describe(instanceType: string): InstanceTypeFacts | undefined;
}

/** ELBv2 target groups that service tasks are registered with (main.ts binds ELBv2's side). */
export interface LoadBalancerTargetsPort {
  /** False for an ARN that names no target group (CreateService answers InvalidParameterException). */
  exists(scope: { accountId: string; region: string }, targetGroupArn: string): boolean;
  /** `instance` targets are (EC2 instance id, host port); `ip` targets (address, port). */
  targetType(scope: { accountId: string; region: string }, targetGroupArn: string): 'instance' | 'ip' | undefined;
  register(
    scope: { accountId: string; region: string },
    targetGroupArn: string,
    targets: Array<{ id: string; port?: number }>,
  ): void;
  deregister(
    scope: { accountId: string; region: string },
    targetGroupArn: string,
    targets: Array<{ id: string; port?: number }>,
  ): void;
  /** ELBv2 target health state (`initial`, `healthy`, `unhealthy`, `draining`, `unused`…); undefined when not registered. */
  state(
    scope: { accountId: string; region: string },
    targetGroupArn: string,
    target: { id: string; port?: number },
  ): string | undefined;
}

/** One instance of an Auto Scaling group, as a capacity provider sees it. */
export interface AutoScalingInstanceView {
  instanceId: string;
  /** Auto Scaling's lifecycle state (`Pending`, `InService`, `Terminating:Wait` …). */
  lifecycleState: string;
  protectedFromScaleIn: boolean;
  availabilityZone: string;
  instanceType: string;
  launchedAtMs: number;
  /** Lifecycle hooks whose action on this instance is open now (the instance waits on them). */
  waitingOnHooks: string[];
}

export interface AutoScalingGroupView {
  autoScalingGroupName: string;
  autoScalingGroupArn: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  newInstancesProtectedFromScaleIn: boolean;
  /** The instance type a launch would use now (launch template or configuration), when known. */
  launchInstanceType?: string;
  instances: AutoScalingInstanceView[];
  /** The names of the group's lifecycle hooks. */
  lifecycleHooks: string[];
}

export interface LifecycleHookSpec {
  name: string;
  transition: 'autoscaling:EC2_INSTANCE_LAUNCHING' | 'autoscaling:EC2_INSTANCE_TERMINATING';
  heartbeatTimeoutS: number;
  defaultResult: 'CONTINUE' | 'ABANDON';
}

/**
 * What an Auto Scaling group capacity provider needs from Auto Scaling (main.ts binds it to the
 * Auto Scaling service's `ecsCapacityPort`). Writes behave as the Auto Scaling API calls they
 * name and throw its ServiceErrors (e.g. `No active Lifecycle Action found …`).
 */
export interface AutoScalingGroupsPort {
  /** The group an ARN or a name names; undefined when there is none (or it is being deleted). */
  describeGroup(scope: { accountId: string; region: string }, groupArnOrName: string): AutoScalingGroupView | undefined;
  /** SetDesiredCapacity without HonorCooldown. */
  setDesiredCapacity(scope: { accountId: string; region: string }, groupName: string, desired: number): void;
  /** SetInstanceProtection (any number of ids: the port batches them). */
  setInstanceProtection(
    scope: { accountId: string; region: string },
    groupName: string,
    instanceIds: string[],
    protectedFromScaleIn: boolean,
  ): void;
  putLifecycleHook(scope: { accountId: string; region: string }, groupName: string, hook: LifecycleHookSpec): void;
  deleteLifecycleHook(scope: { accountId: string; region: string }, groupName: string, hookName: string): void;
  recordHeartbeat(
    scope: { accountId: string; region: string },
    groupName: string,
    hookName: string,
    instanceId: string,
  ): void;
  completeLifecycleAction(
    scope: { accountId: string; region: string },
    groupName: string,
    hookName: string,
    instanceId: string,
    result: 'CONTINUE' | 'ABANDON',
  ): void;
}

export interface EcsPorts {
  eventBus: EventBusPort;
  taskRuntime: TaskRuntimePort;
  instanceTypes: InstanceTypesPort;
  loadBalancerTargets: LoadBalancerTargetsPort;
  /**
   * Auto Scaling, for capacity providers. Optional so a composition without Auto Scaling still
   * runs ECS; capacity-provider calls then answer that Auto Scaling is not available.
   */
  autoScalingGroups?: AutoScalingGroupsPort;
}
