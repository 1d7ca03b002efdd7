/**
 * The demo's narrator: follows what drydock does while the fleet is refreshed, from drydock's own
 * record of it — the outbox of events the services published (Auto Scaling lifecycle actions and
 * refresh progress, ECS container-instance and task state changes), describe calls for what
 * publishes no event (lifecycle states, target health, the refresh's PercentageComplete), and the
 * drain function's log (its heartbeats, hand-overs and CompleteLifecycleAction). Each change becomes
 * one timeline line; the facts it gathers make the summary.
 */
import { DescribeAutoScalingInstancesCommand, DescribeInstanceRefreshesCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AdminApi, OutboxEvent } from './admin-api.js';
import type { DemoClients } from './aws-clients.js';
import type { Fleet } from './fleet.js';
import { HOOK_HEARTBEAT_SECONDS } from './fleet.js';

/** ECS's own hook under managed draining, and its heartbeat timeout. */
const MANAGED_HOOK_HEARTBEAT_SECONDS = 3600;

export interface LifecycleActionFact {
  instanceId: string;
  hook: string;
  waitingAtMs: number;
  completedAtMs?: number;
  /** Who ended the wait: the drain function, ECS, or the hook's timeout. */
  how?: string;
  heartbeats: number;
  invocations: number;
}

export interface RefreshFact {
  id?: string;
  status?: string;
  percentComplete: number;
  statusReason?: string;
}

export interface TimelineFacts {
  actions: Map<string, LifecycleActionFact>;
  refresh: RefreshFact;
  instancesLaunched: Set<string>;
  instancesTerminated: Set<string>;
  containerInstancesDrained: Set<string>;
  tasksStarted: Set<string>;
  tasksStopped: Set<string>;
  targetsDrained: Set<string>;
  warnings: string[];
}

export interface TimelineEntry {
  /** drydock time of the change. */
  atMs: number;
  text: string;
}

export class Timeline {
  readonly facts: TimelineFacts = {
    actions: new Map(),
    refresh: { percentComplete: 0 },
    instancesLaunched: new Set(),
    instancesTerminated: new Set(),
    containerInstancesDrained: new Set(),
    tasksStarted: new Set(),
    tasksStopped: new Set(),
    targetsDrained: new Set(),
    warnings: [],
  };
  /** Lines are written only once the refresh starts; before that the state is only learnt. */
  narrating = false;
  private readonly pending: TimelineEntry[] = [];
  private afterSeq = 0;
  private functionLogSeen = 0;
  private readonly containerInstanceHosts = new Map<string, string>();
  private readonly containerInstanceStatus = new Map<string, string>();
  private readonly taskStatus = new Map<string, { lastStatus?: string; desiredStatus?: string }>();
  private readonly targets = new Map<string, string>();
  private readonly lifecycleStates = new Map<string, string>();
  private readonly heartbeatSummary = new Map<string, string>();
  private service: { running: number; desired: number; deployments: number } = {
    running: 0,
    desired: 0,
    deployments: 0,
  };

  constructor(
    private readonly clients: DemoClients,
    private readonly admin: AdminApi,
    private readonly fleet: Fleet,
    private readonly emit: (entry: TimelineEntry) => void,
    private readonly nowMs: () => number,
  ) {}

  /** One look at everything; call it on a short interval. Lines come out in drydock-time order. */
  async poll(): Promise<void> {
    try {
      await this.pollEvents();
      if (this.fleet.mode === 'hook') await this.pollFunctionLog();
      await this.pollLifecycleStates();
      await this.pollTargets();
      await this.pollRefresh();
      await this.pollService();
    } finally {
      const entries = this.pending.splice(0).sort((a, b) => a.atMs - b.atMs);
      for (const entry of entries) this.emit(entry);
    }
  }

  /** The refresh ended, nothing is terminating, and the service is back to all its tasks, healthy. */
  settled(desiredTasks: number): boolean {
    const status = this.facts.refresh.status;
    if (status !== 'Successful' && status !== 'Failed' && status !== 'Cancelled') return false;
    const leaving = [...this.lifecycleStates.values()].some((state) => state.startsWith('Terminating'));
    const targets = [...this.targets.values()];
    return (
      !leaving &&
      [...this.facts.actions.values()].every((action) => action.completedAtMs !== undefined) &&
      this.service.running === desiredTasks &&
      this.service.deployments === 1 &&
      targets.length === desiredTasks &&
      targets.every((state) => state === 'healthy')
    );
  }

  /** Fills in how each action ended where the log did not say (after the run). */
  finish(): void {
    for (const action of this.facts.actions.values()) {
      if (action.completedAtMs === undefined || action.how) continue;
      const heartbeatTimeoutMs =
        (this.fleet.mode === 'managed' ? MANAGED_HOOK_HEARTBEAT_SECONDS : HOOK_HEARTBEAT_SECONDS) * 1000;
      const waitedMs = action.completedAtMs - action.waitingAtMs;
      action.how =
        this.fleet.mode === 'managed' && waitedMs < heartbeatTimeoutMs
          ? 'ECS managed draining (CONTINUE)'
          : waitedMs >= heartbeatTimeoutMs
            ? 'heartbeat timeout (DefaultResult)'
            : 'completed by someone else';
    }
  }

  private say(atMs: number, text: string): void {
    if (this.narrating) this.pending.push({ atMs, text });
  }

  // ── the outbox ────────────────────────────────────────────────────────────────────────────────

  private async pollEvents(): Promise<void> {
    const entries = await this.admin.events(this.afterSeq);
    for (const entry of entries) {
      this.afterSeq = Math.max(this.afterSeq, entry.seq);
      this.onEvent(entry);
    }
  }

  private onEvent(entry: OutboxEvent): void {
    const { event, atMs } = entry;
    const detail = event.detail;
    const names = this.fleet.names;
    switch (event['detail-type']) {
      case 'EC2 Instance-terminate Lifecycle Action': {
        if (detail.AutoScalingGroupName !== names.group) return;
        const instanceId = String(detail.EC2InstanceId);
        const hook = String(detail.LifecycleHookName);
        if (!this.facts.actions.has(instanceId)) {
          this.facts.actions.set(instanceId, { instanceId, hook, waitingAtMs: atMs, heartbeats: 0, invocations: 0 });
        }
        this.say(
          atMs,
          `${instanceId} Terminating:Wait, lifecycle action open on hook ${hook}` +
            (this.fleet.mode === 'hook' ? ' → EventBridge invokes the drain function' : ' → ECS drains it'),
        );
        return;
      }
      case 'EC2 Instance Launch Successful':
        if (detail.AutoScalingGroupName !== names.group) return;
        if (this.narrating) this.facts.instancesLaunched.add(String(detail.EC2InstanceId));
        this.say(atMs, `${String(detail.EC2InstanceId)} launched: InService (new launch template version)`);
        return;
      case 'EC2 Instance Terminate Successful':
        if (detail.AutoScalingGroupName !== names.group) return;
        this.facts.instancesTerminated.add(String(detail.EC2InstanceId));
        this.say(atMs, `${String(detail.EC2InstanceId)} terminated`);
        return;
      case 'EC2 Auto Scaling Instance Refresh Started':
      case 'EC2 Auto Scaling Instance Refresh Checkpoint Reached':
      case 'EC2 Auto Scaling Instance Refresh Succeeded':
      case 'EC2 Auto Scaling Instance Refresh Failed':
      case 'EC2 Auto Scaling Instance Refresh Cancelled':
        if (detail.AutoScalingGroupName !== names.group) return;
        this.say(
          atMs,
          `instance refresh ${event['detail-type'].slice('EC2 Auto Scaling Instance Refresh '.length).toLowerCase()}`,
        );
        return;
      case 'ECS Container Instance State Change':
        return this.onContainerInstance(atMs, detail);
      case 'ECS Task State Change':
        return this.onTask(atMs, event.resources[0] ?? String(detail.taskArn), detail);
      case 'ECS Service Action': {
        if (detail.clusterArn !== this.fleet.clusterArn) return;
        if (detail.eventType === 'WARN' || detail.eventType === 'ERROR') {
          const warning = `service ${String(detail.eventName)}${detail.reason ? `: ${String(detail.reason)}` : ''}`;
          this.facts.warnings.push(warning);
          this.say(atMs, warning);
        }
        return;
      }
    }
  }

  private onContainerInstance(atMs: number, detail: Record<string, unknown>): void {
    if (detail.clusterArn !== this.fleet.clusterArn) return;
    const arn = String(detail.containerInstanceArn);
    const host = String(detail.ec2InstanceId);
    const status = String(detail.status);
    this.containerInstanceHosts.set(arn, host);
    const before = this.containerInstanceStatus.get(arn);
    this.containerInstanceStatus.set(arn, status);
    if (before === status) return;
    if (status === 'DRAINING') {
      this.facts.containerInstancesDrained.add(host);
      const tasks = Number(detail.runningTasksCount ?? 0) + Number(detail.pendingTasksCount ?? 0);
      this.say(atMs, `${host} container instance DRAINING (${tasks} task${tasks === 1 ? '' : 's'} to move)`);
    } else if (status === 'ACTIVE' && before === undefined) {
      this.say(atMs, `${host} registered as a container instance in ${this.fleet.names.cluster}`);
    } else if (status === 'INACTIVE') {
      this.say(atMs, `${host} container instance deregistered (INACTIVE)`);
    }
  }

  private onTask(atMs: number, taskArn: string, detail: Record<string, unknown>): void {
    if (detail.clusterArn !== this.fleet.clusterArn || detail.group !== `service:${this.fleet.names.service}`) return;
    const lastStatus = String(detail.lastStatus);
    const desiredStatus = String(detail.desiredStatus);
    const before = this.taskStatus.get(taskArn) ?? {};
    this.taskStatus.set(taskArn, { lastStatus, desiredStatus });
    const id = taskArn.split('/').pop()!.slice(0, 8);
    const host = this.containerInstanceHosts.get(String(detail.containerInstanceArn)) ?? 'an instance';
    if (lastStatus === 'RUNNING' && before.lastStatus !== 'RUNNING' && desiredStatus === 'RUNNING') {
      if (this.narrating) this.facts.tasksStarted.add(taskArn);
      this.say(atMs, `task ${id} RUNNING on ${host}`);
    } else if (desiredStatus === 'STOPPED' && before.desiredStatus !== 'STOPPED') {
      const reason = typeof detail.stoppedReason === 'string' ? `: ${detail.stoppedReason}` : '';
      this.say(atMs, `task ${id} on ${host} stopping${reason}`);
    } else if (lastStatus === 'STOPPED' && before.lastStatus !== 'STOPPED') {
      if (this.narrating) this.facts.tasksStopped.add(taskArn);
      const container = Array.isArray(detail.containers) ? (detail.containers[0] as { exitCode?: number }) : undefined;
      this.say(atMs, `task ${id} STOPPED${container?.exitCode !== undefined ? ` (exit ${container.exitCode})` : ''}`);
    }
  }

  // ── the drain function's log ──────────────────────────────────────────────────────────────────

  private async pollFunctionLog(): Promise<void> {
    const lines = await this.admin.functionLog(this.fleet.names.function);
    for (const entry of lines.slice(this.functionLogSeen)) this.onFunctionLine(entry.atMs, entry.line);
    this.functionLogSeen = lines.length;
  }

  private onFunctionLine(atMs: number, line: string): void {
    // Lambda's Node.js format: time, request id, level, message; the drain logs its messages as JSON.
    const message = line.split('\t')[3];
    if (!message?.startsWith('{')) return;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(message) as Record<string, unknown>;
    } catch {
      return;
    }
    const instanceId = typeof record.instanceId === 'string' ? record.instanceId : undefined;
    const action = instanceId ? this.facts.actions.get(instanceId) : undefined;
    switch (record.message) {
      case 'container instance set DRAINING':
        if (action) action.invocations = Math.max(action.invocations, 1);
        this.say(atMs, `drain function: UpdateContainerInstancesState ${instanceId} → DRAINING`);
        return;
      case 'waiting for tasks': {
        if (action) action.heartbeats += 1;
        const statuses = Object.entries((record.lastStatuses ?? {}) as Record<string, number>)
          .map(([status, count]) => `${count} ${status}`)
          .join(', ');
        // One line when what the function waits for changes, not one per heartbeat.
        if (instanceId && this.heartbeatSummary.get(instanceId) !== statuses) {
          this.heartbeatSummary.set(instanceId, statuses);
          this.say(atMs, `drain function: heartbeat for ${instanceId}, waiting for ${statuses || 'tasks'}`);
        }
        return;
      }
      case 'handed over to the next invocation':
        if (action) action.invocations = Math.max(action.invocations, Number(record.next));
        this.say(
          atMs,
          `drain function: 15-minute limit near, hands ${instanceId} over to invocation #${String(record.next)}`,
        );
        return;
      case 'lifecycle action completed with CONTINUE':
        if (action) action.how = 'drain function, CompleteLifecycleAction CONTINUE';
        this.say(atMs, `drain function: ${instanceId} has no task left, CompleteLifecycleAction CONTINUE`);
        return;
      case 'standalone task stopped':
        this.say(atMs, `drain function: stopped standalone task ${String(record.taskArn)}`);
        return;
    }
  }

  // ── describe calls ────────────────────────────────────────────────────────────────────────────

  private async pollLifecycleStates(): Promise<void> {
    const answer = await this.clients.autoscaling.send(new DescribeAutoScalingInstancesCommand({}));
    const seen = new Set<string>();
    for (const instance of answer.AutoScalingInstances ?? []) {
      if (instance.AutoScalingGroupName !== this.fleet.names.group) continue;
      const id = instance.InstanceId!;
      const state = instance.LifecycleState!;
      seen.add(id);
      const before = this.lifecycleStates.get(id);
      this.lifecycleStates.set(id, state);
      if (before === state) continue;
      if (state === 'Terminating:Proceed' || (before === 'Terminating:Wait' && state !== 'Terminating:Wait')) {
        this.onActionEnded(id);
      }
    }
    for (const id of [...this.lifecycleStates.keys()]) {
      if (seen.has(id)) continue;
      // Gone from the group: if it was still waiting when last seen, its action ended meanwhile.
      if (this.lifecycleStates.get(id) === 'Terminating:Wait') this.onActionEnded(id);
      this.lifecycleStates.delete(id);
    }
  }

  private onActionEnded(instanceId: string): void {
    const action = this.facts.actions.get(instanceId);
    if (!action || action.completedAtMs !== undefined) return;
    action.completedAtMs = this.nowMs();
    const waited = formatDuration(action.completedAtMs - action.waitingAtMs);
    this.say(
      action.completedAtMs,
      `${instanceId} Terminating:Proceed: lifecycle action completed after ${waited} of drydock time`,
    );
  }

  private async pollTargets(): Promise<void> {
    const answer = await this.clients.elbv2.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: this.fleet.targetGroupArn }),
    );
    const seen = new Set<string>();
    const atMs = this.nowMs();
    for (const description of answer.TargetHealthDescriptions ?? []) {
      const key = `${description.Target!.Id}:${description.Target!.Port}`;
      const state = description.TargetHealth?.State ?? 'unknown';
      seen.add(key);
      const before = this.targets.get(key);
      this.targets.set(key, state);
      if (before === state) continue;
      if (state === 'draining') {
        if (this.narrating) this.facts.targetsDrained.add(key);
        this.say(atMs, `target ${key} draining: no new requests, in-flight ones finish (deregistration delay)`);
      } else if (state === 'healthy') {
        this.say(atMs, `target ${key} healthy: receiving requests`);
      } else if (state === 'unhealthy') {
        this.say(atMs, `target ${key} unhealthy (${description.TargetHealth?.Reason ?? ''})`);
      }
    }
    for (const key of [...this.targets.keys()]) {
      if (seen.has(key)) continue;
      this.targets.delete(key);
      this.say(atMs, `target ${key} deregistered`);
    }
  }

  private async pollRefresh(): Promise<void> {
    if (!this.narrating) return;
    const answer = await this.clients.autoscaling.send(
      new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: this.fleet.names.group, MaxRecords: 1 }),
    );
    const refresh = answer.InstanceRefreshes?.[0];
    if (!refresh) return;
    const fact = this.facts.refresh;
    const percent = refresh.PercentageComplete ?? 0;
    if (percent !== fact.percentComplete && percent > 0)
      this.say(this.nowMs(), `instance refresh ${percent}% complete`);
    fact.id = refresh.InstanceRefreshId;
    fact.status = refresh.Status;
    fact.percentComplete = percent;
    fact.statusReason = refresh.StatusReason;
  }

  private async pollService(): Promise<void> {
    const answer = await this.clients.ecs.send(
      new DescribeServicesCommand({ cluster: this.fleet.names.cluster, services: [this.fleet.names.service] }),
    );
    const service = answer.services?.[0];
    this.service = {
      running: service?.runningCount ?? 0,
      desired: service?.desiredCount ?? 0,
      deployments: service?.deployments?.length ?? 0,
    };
  }
}

/** `1h 02m 03s`, `4m 05s`, `12s`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m ${String(seconds).padStart(2, '0')}s`;
  if (minutes > 0) return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
  return `${seconds}s`;
}
