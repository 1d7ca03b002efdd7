import { describe, expect, it } from 'vitest';
import {
  HEALTHY_AFTER_RUNNING_MS,
  isHealthy,
  planService,
  scaleInOrder,
  type PlanInstance,
  type PlanTask,
  type ServicePlan,
  type ServiceSnapshot,
} from './service-plan.js';

const NOW = 1_000_000;
const OLD = 'ecs-svc/1111111111111111111';
const NEW = 'ecs-svc/2222222222222222222';

/** A task of the given deployment, RUNNING and healthy (past its 40 s) unless told otherwise. */
function task(id: string, patch: Partial<PlanTask> = {}): PlanTask {
  return {
    taskId: id,
    deploymentId: NEW,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    containerInstanceId: 'a',
    availabilityZone: 'us-east-1a',
    startedAtMs: NOW - 60_000,
    protected: false,
    ...patch,
  };
}

const instance = (id: string, patch: Partial<PlanInstance> = {}): PlanInstance => ({
  containerInstanceId: id,
  status: 'ACTIVE',
  agentConnected: true,
  eligible: true,
  otherTasks: 0,
  ...patch,
});

function snapshot(patch: Partial<ServiceSnapshot>): ServiceSnapshot {
  return {
    schedulingStrategy: 'REPLICA',
    desiredCount: 4,
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    healthCheckGracePeriodMs: 0,
    primaryDeploymentId: NEW,
    primaryFailed: false,
    canStart: true,
    deleting: false,
    tasks: [],
    instances: [instance('a'), instance('b'), instance('c')],
    ...patch,
  };
}

const stoppedIds = (plan: ServicePlan) => plan.stop.map((stop) => stop.taskId).sort();
const olds = (count: number, patch: Partial<PlanTask> = {}) =>
  Array.from({ length: count }, (_, index) => task(`old${index}`, { deploymentId: OLD, ...patch }));
const news = (count: number, patch: Partial<PlanTask> = {}) =>
  Array.from({ length: count }, (_, index) => task(`new${index}`, patch));

describe('a task counts as healthy (`M:ecs` DeploymentConfiguration)', () => {
  const cases: Array<{ name: string; task: PlanTask; healthy: boolean }> = [
    { name: 'no load balancer, no health check: RUNNING for 40 s', task: task('t'), healthy: true },
    {
      name: 'no load balancer, no health check: RUNNING for 39 s is not yet',
      task: task('t', { startedAtMs: NOW - HEALTHY_AFTER_RUNNING_MS + 1_000 }),
      healthy: false,
    },
    { name: 'a container health check: HEALTHY', task: task('t', { containerHealth: 'HEALTHY' }), healthy: true },
    {
      name: 'a container health check: UNKNOWN is not healthy, however long it runs',
      task: task('t', { containerHealth: 'UNKNOWN' }),
      healthy: false,
    },
    {
      name: 'behind a target group: healthy there, at once',
      task: task('t', { startedAtMs: NOW, targets: [{ targetGroupArn: 'tg', id: 'i-1', port: 1, state: 'healthy' }] }),
      healthy: true,
    },
    {
      name: 'behind a target group: initial is not yet',
      task: task('t', { targets: [{ targetGroupArn: 'tg', id: 'i-1', port: 1, state: 'initial' }] }),
      healthy: false,
    },
    {
      name: 'target healthy but container UNHEALTHY: not healthy',
      task: task('t', {
        containerHealth: 'UNHEALTHY',
        targets: [{ targetGroupArn: 'tg', id: 'i-1', port: 1, state: 'healthy' }],
      }),
      healthy: false,
    },
    {
      name: 'two target groups: both must be healthy',
      task: task('t', {
        targets: [
          { targetGroupArn: 'tg1', id: 'i-1', port: 1, state: 'healthy' },
          { targetGroupArn: 'tg2', id: 'i-1', port: 1, state: 'initial' },
        ],
      }),
      healthy: false,
    },
    { name: 'ACTIVATING is not', task: task('t', { lastStatus: 'ACTIVATING' }), healthy: false },
    { name: 'a task told to stop is not', task: task('t', { desiredStatus: 'STOPPED' }), healthy: false },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => expect(isHealthy(testCase.task, NOW)).toBe(testCase.healthy));
  }
});

describe('planService, REPLICA: starts and stops within minimumHealthyPercent and maximumPercent', () => {
  interface Case {
    name: string;
    snapshot: Partial<ServiceSnapshot>;
    start: number;
    stop: string[];
    steady?: boolean;
    deadlock?: boolean;
  }
  const cases: Case[] = [
    { name: 'a new service of 4 starts 4', snapshot: { tasks: [] }, start: 4, stop: [] },
    {
      name: '4 healthy tasks of the PRIMARY deployment: steady',
      snapshot: { tasks: news(4) },
      start: 0,
      stop: [],
      steady: true,
    },
    {
      name: 'min 50 / max 200 rolling update of 4: start 4, stop 2 old at once',
      snapshot: { minimumHealthyPercent: 50, tasks: olds(4) },
      start: 4,
      stop: ['old0', 'old1'],
    },
    {
      name: '… then, the new ones not healthy yet, nothing more (8 tasks is the ceiling)',
      snapshot: {
        minimumHealthyPercent: 50,
        tasks: [
          ...olds(2, { desiredStatus: 'STOPPED', lastStatus: 'STOPPING' }).map((t, i) => ({
            ...t,
            taskId: `gone${i}`,
          })),
          ...olds(2),
          ...news(4, { startedAtMs: NOW - 5_000 }),
        ],
      },
      start: 0,
      stop: [],
    },
    {
      name: '… once the new ones are healthy, the last old ones stop',
      snapshot: { minimumHealthyPercent: 50, tasks: [...olds(2), ...news(4)] },
      start: 0,
      stop: ['old0', 'old1'],
    },
    {
      name: 'min 100 / max 200: new tasks first, old ones only as new ones turn healthy',
      snapshot: {
        tasks: [...olds(4), ...news(2), ...news(2, { startedAtMs: NOW }).map((t, i) => ({ ...t, taskId: `late${i}` }))],
      },
      start: 0,
      stop: ['old0', 'old1'],
    },
    {
      name: 'min 0 / max 100: stop every old task, start none until they are gone',
      snapshot: { minimumHealthyPercent: 0, maximumPercent: 100, tasks: olds(4) },
      start: 0,
      stop: ['old0', 'old1', 'old2', 'old3'],
    },
    {
      name: 'min 100 / max 100 rolling update: deadlock',
      snapshot: { maximumPercent: 100, tasks: olds(4) },
      start: 0,
      stop: [],
      deadlock: true,
    },
    {
      name: 'max 150 of 4 is floor(6): start 2',
      snapshot: { maximumPercent: 150, tasks: olds(4) },
      start: 2,
      stop: [],
    },
    {
      name: 'min 75 of 3 is ceil(2.25) = 3 healthy: stop none while the new ones start',
      snapshot: { desiredCount: 3, minimumHealthyPercent: 75, tasks: olds(3) },
      start: 3,
      stop: [],
    },
    {
      name: 'scale-in from 4 to 2 stops 2',
      snapshot: { desiredCount: 2, tasks: news(4) },
      start: 0,
      stop: ['new0', 'new1'],
    },
    {
      name: 'scale-in skips protected tasks',
      snapshot: {
        desiredCount: 2,
        tasks: [...news(2, { protected: true }), ...news(2).map((t, i) => ({ ...t, taskId: `free${i}` }))],
      },
      start: 0,
      stop: ['free0', 'free1'],
    },
    {
      name: 'a deployment does not stop protected old tasks',
      snapshot: { minimumHealthyPercent: 0, tasks: [...olds(1, { protected: true }), ...news(4)] },
      start: 0,
      stop: [],
    },
    {
      name: 'an unhealthy target is replaced: the task stops and a new one starts',
      snapshot: {
        desiredCount: 1,
        tasks: [task('t', { targets: [{ targetGroupArn: 'tg', id: 'i-1', port: 1, state: 'unhealthy' }] })],
      },
      start: 1,
      stop: ['t'],
    },
    {
      name: 'within the health-check grace period an unhealthy task is left alone',
      snapshot: {
        desiredCount: 1,
        healthCheckGracePeriodMs: 120_000,
        tasks: [task('t', { targets: [{ targetGroupArn: 'tg', id: 'i-1', port: 1, state: 'unhealthy' }] })],
      },
      start: 0,
      stop: [],
    },
    {
      name: 'an UNHEALTHY container is replaced',
      snapshot: { desiredCount: 1, tasks: [task('t', { containerHealth: 'UNHEALTHY' })] },
      start: 1,
      stop: ['t'],
    },
    {
      name: 'throttled: nothing starts',
      snapshot: { canStart: false, tasks: news(2) },
      start: 0,
      stop: [],
    },
    {
      name: 'FAILED rollout (no rollback): no start, old tasks keep serving (and are the steady state)',
      snapshot: { primaryFailed: true, tasks: olds(4) },
      start: 0,
      stop: [],
      steady: true,
    },
    {
      name: 'deleting: every task stops, protected or not',
      snapshot: {
        deleting: true,
        tasks: [...news(2), ...news(1, { protected: true }).map((t) => ({ ...t, taskId: 'p' }))],
      },
      start: 0,
      stop: ['new0', 'new1', 'p'],
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const plan = planService(snapshot(testCase.snapshot), NOW);
      expect(plan.start).toBe(testCase.start);
      expect(stoppedIds(plan)).toEqual([...testCase.stop].sort());
      expect(plan.steady).toBe(testCase.steady ?? false);
      expect(plan.deadlock).toBe(testCase.deadlock ?? false);
    });
  }
});

describe('planService, REPLICA: container instance draining (B.2)', () => {
  const onA = (patch: Partial<PlanTask> = {}) => task('onA', { containerInstanceId: 'a', ...patch });
  const onB = task('onB', { containerInstanceId: 'b' });
  const draining = [instance('a', { status: 'DRAINING' }), instance('b'), instance('c')];

  it('a PENDING task on a draining instance stops at once, with its replacement', () => {
    const plan = planService(
      snapshot({ desiredCount: 2, instances: draining, tasks: [onA({ lastStatus: 'PENDING' }), onB] }),
      NOW,
    );
    expect(plan.stop).toEqual([{ taskId: 'onA', cause: { kind: 'drainingPending' } }]);
    expect(plan.start).toBe(1);
  });

  it('a RUNNING task is replaced first (min 100): start one, stop none yet', () => {
    const plan = planService(snapshot({ desiredCount: 2, instances: draining, tasks: [onA(), onB] }), NOW);
    expect(plan.start).toBe(1);
    expect(plan.stop).toEqual([]);
    expect(plan.deadlock).toBe(false);
  });

  it('… and stops once its replacement is healthy', () => {
    const plan = planService(
      snapshot({
        desiredCount: 2,
        instances: draining,
        tasks: [onA(), onB, task('onC', { containerInstanceId: 'c' })],
      }),
      NOW,
    );
    expect(plan.stop).toEqual([{ taskId: 'onA', cause: { kind: 'draining' } }]);
    expect(plan.start).toBe(0);
  });

  it('a protected task on a draining instance is replaced too (protection guards scale-in and deployments only)', () => {
    const plan = planService(
      snapshot({
        desiredCount: 2,
        minimumHealthyPercent: 50,
        instances: draining,
        tasks: [onA({ protected: true }), onB],
      }),
      NOW,
    );
    expect(stoppedIds(plan)).toEqual(['onA']);
  });

  it('min = max = 100 cannot drain: neither start nor stop, a deadlock', () => {
    const plan = planService(
      snapshot({ desiredCount: 2, maximumPercent: 100, instances: draining, tasks: [onA(), onB] }),
      NOW,
    );
    expect(plan).toMatchObject({ start: 0, stop: [], deadlock: true, steady: false });
  });

  it('min 50 / max 100 drains by stopping first', () => {
    const plan = planService(
      snapshot({
        desiredCount: 2,
        minimumHealthyPercent: 50,
        maximumPercent: 100,
        instances: draining,
        tasks: [onA(), onB],
      }),
      NOW,
    );
    expect(plan.stop).toEqual([{ taskId: 'onA', cause: { kind: 'draining' } }]);
    expect(plan.start).toBe(0);
  });
});

describe('planService, DAEMON: one task on every instance that can take it', () => {
  const daemon = (patch: Partial<ServiceSnapshot>) =>
    snapshot({ schedulingStrategy: 'DAEMON', minimumHealthyPercent: 0, maximumPercent: 100, ...patch });

  it('starts one on each ACTIVE, connected, eligible instance; its desired count is theirs', () => {
    const plan = planService(
      daemon({
        instances: [
          instance('a'),
          instance('b', { agentConnected: false }),
          instance('c', { eligible: false }),
          instance('d'),
        ],
      }),
      NOW,
    );
    expect(plan.startOn).toEqual(['a', 'd']);
    expect(plan.desiredCount).toBe(2);
  });

  it('a deployment stops the old task on an instance, then starts the new one when it is gone', () => {
    const first = planService(daemon({ instances: [instance('a')], tasks: olds(1) }), NOW);
    expect(stoppedIds(first)).toEqual(['old0']);
    expect(first.startOn).toEqual([]);
    const second = planService(
      daemon({ instances: [instance('a')], tasks: olds(1, { desiredStatus: 'STOPPED', lastStatus: 'STOPPED' }) }),
      NOW,
    );
    expect(second.startOn).toEqual(['a']);
  });

  it('leaves a draining instance last: its daemon task stops once nothing else runs there', () => {
    const busy = planService(
      daemon({ instances: [instance('a', { status: 'DRAINING', otherTasks: 1 })], tasks: news(1) }),
      NOW,
    );
    expect(busy.stop).toEqual([]);
    const empty = planService(daemon({ instances: [instance('a', { status: 'DRAINING' })], tasks: news(1) }), NOW);
    expect(empty.stop).toEqual([{ taskId: 'new0', cause: { kind: 'draining' } }]);
  });

  it('steady when every eligible instance has one healthy task of the PRIMARY deployment', () => {
    const plan = planService(
      daemon({
        instances: [instance('a'), instance('b')],
        tasks: [task('x', { containerInstanceId: 'a' }), task('y', { containerInstanceId: 'b' })],
      }),
      NOW,
    );
    expect(plan.steady).toBe(true);
  });
});

describe('scale-in order (`DG:ecs/task-placement`)', () => {
  it('takes from the zone with most tasks, then the instance with most', () => {
    const tasks = [
      task('a1', { availabilityZone: 'z1', containerInstanceId: 'i1' }),
      task('a2', { availabilityZone: 'z1', containerInstanceId: 'i2' }),
      task('a3', { availabilityZone: 'z1', containerInstanceId: 'i2' }),
      task('b1', { availabilityZone: 'z2', containerInstanceId: 'i3' }),
    ];
    expect(scaleInOrder(tasks, tasks).map((t) => t.taskId)).toEqual(['a2', 'a1', 'a3', 'b1']);
  });
});

it('recheckAtMs is when a task with no health signal reaches its 40 s', () => {
  const plan = planService(snapshot({ desiredCount: 1, tasks: [task('t', { startedAtMs: NOW - 10_000 })] }), NOW);
  expect(plan.recheckAtMs).toBe(NOW + 30_000);
});
