/**
 * Managed scaling's arithmetic (B.8; the "Deep Dive on Amazon ECS Cluster Auto Scaling" blog
 * that `DG:ecs/cluster-auto-scaling` points to), as pure functions:
 *
 *   CapacityProviderReservation = M / N × 100
 *
 * N = instances of the group in service; M = instances needed to run the tasks it has and the
 * provisioning tasks that found no room: the busy instances (any non-daemon task) plus a bin
 * packing of the waiting tasks onto fresh instances of the type the group launches. N = 0 reads
 * 100 with nothing waiting and 200 otherwise (scaling from zero asks for two instances).
 *
 * The target tracking policy ECS manages turns the metric into a desired capacity of
 * ceil(M × 100 / targetCapacity): above target it scales out at once, by at least
 * minimumScalingStepSize and at most maximumScalingStepSize instances, but not while an instance
 * is inside its instanceWarmupPeriod; below target it scales in only after 15 minutes of it
 * (the low alarm's 15 datapoints), and never past the group's MinSize/MaxSize.
 */

/** The low alarm needs 15 one-minute datapoints (B.8). */
export const SCALE_IN_AFTER_MS = 15 * 60_000;
/** From zero instances the reservation reads 200 %: two instances (B.8). */
export const FROM_ZERO_INSTANCES = 2;

export interface TaskFootprint {
  cpu: number;
  memoryMiB: number;
  /** Fixed host ports (a dynamic port never stops two tasks sharing an instance). */
  tcpPorts: readonly number[];
}

export interface InstanceCapacity {
  cpu: number;
  memoryMiB: number;
}

/**
 * How many fresh instances the waiting tasks need: first fit, largest first. A task that would
 * not fit even an empty instance asks for none (no scale-out can place it).
 */
export function instancesNeeded(tasks: readonly TaskFootprint[], capacity: InstanceCapacity | undefined): number {
  if (tasks.length === 0) return 0;
  // Without a known instance type, count one instance per task: the most a scale-out can need.
  if (!capacity) return tasks.length;
  const sorted = [...tasks].sort((a, b) => b.cpu - a.cpu || b.memoryMiB - a.memoryMiB);
  const bins: Array<{ cpu: number; memoryMiB: number; ports: Set<number> }> = [];
  for (const task of sorted) {
    if (task.cpu > capacity.cpu || task.memoryMiB > capacity.memoryMiB) continue;
    const fits = (bin: (typeof bins)[number]) =>
      bin.cpu >= task.cpu && bin.memoryMiB >= task.memoryMiB && task.tcpPorts.every((port) => !bin.ports.has(port));
    let bin = bins.find(fits);
    if (!bin) {
      bin = { cpu: capacity.cpu, memoryMiB: capacity.memoryMiB, ports: new Set() };
      bins.push(bin);
    }
    bin.cpu -= task.cpu;
    bin.memoryMiB -= task.memoryMiB;
    for (const port of task.tcpPorts) bin.ports.add(port);
  }
  return bins.length;
}

/** M / N × 100, with N = 0 reading 100 (nothing needed) or 200 (something is). */
export function capacityProviderReservation(needed: number, running: number): number {
  if (running === 0) return needed === 0 ? 100 : 200;
  return (needed / running) * 100;
}

export interface ScalingInput {
  targetCapacity: number;
  minimumScalingStepSize: number;
  maximumScalingStepSize: number;
  instanceWarmupPeriodS: number;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  /** The group's InService instances, and whether each runs a non-daemon task. */
  inService: ReadonlyArray<{ busy: boolean }>;
  /** When each instance that still counts toward capacity (InService or launching) was launched. */
  launchedAtMs: readonly number[];
  /** Fresh instances the waiting tasks need (instancesNeeded). */
  neededForWaiting: number;
  /** Since when the reservation has asked for fewer instances than desired. */
  scaleInWantedSinceMs: number | undefined;
  nowMs: number;
}

export interface ScalingDecision {
  /** M, N and the metric, as ECS would publish them. */
  needed: number;
  running: number;
  reservation: number;
  /** The desired capacity to set, when it changes. */
  desiredCapacity?: number;
  scaleInWantedSinceMs?: number;
  /** When the decision may change with no other change (warm-up over, scale-in due). */
  recheckAtMs?: number;
}

export function planManagedScaling(input: ScalingInput): ScalingDecision {
  const running = input.inService.length;
  const needed = input.inService.filter((instance) => instance.busy).length + input.neededForWaiting;
  const reservation = capacityProviderReservation(needed, running);
  const base = { needed, running, reservation };
  const clamp = (value: number) => Math.min(input.maxSize, Math.max(input.minSize, value));
  const wanted = Math.ceil((needed * 100) / input.targetCapacity);

  if (reservation > input.targetCapacity && needed > 0) {
    const warmUntil = Math.max(
      Number.NEGATIVE_INFINITY,
      ...input.launchedAtMs.map((at) => at + input.instanceWarmupPeriodS * 1000),
    );
    if (warmUntil > input.nowMs) return { ...base, recheckAtMs: warmUntil };
    const goal = running === 0 ? Math.max(wanted, FROM_ZERO_INSTANCES) : wanted;
    const step = Math.min(input.maximumScalingStepSize, Math.max(input.minimumScalingStepSize, goal - running));
    const desired = clamp(running + step);
    return desired > input.desiredCapacity ? { ...base, desiredCapacity: desired } : base;
  }

  const target = clamp(wanted);
  if (reservation < input.targetCapacity && target < input.desiredCapacity) {
    const since = input.scaleInWantedSinceMs ?? input.nowMs;
    if (input.nowMs - since >= SCALE_IN_AFTER_MS) return { ...base, desiredCapacity: target };
    return { ...base, scaleInWantedSinceMs: since, recheckAtMs: since + SCALE_IN_AFTER_MS };
  }
  return base;
}
