import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../kernel/random.js';
import {
  accountStoppedTasks,
  circuitBreakerThreshold,
  evaluateCircuitBreaker,
  resetOnHealthyTasks,
  taskFailedElbHealthChecks,
} from './circuit-breaker.js';
import type { DeploymentRecord } from './deployment.js';
import type { ServiceRecord } from './ecs-service.js';
import type { TaskRecord } from './task.js';

const NOW = 1_000_000;

const deployment = (id: string, patch: Partial<DeploymentRecord> = {}): DeploymentRecord => ({
  id,
  status: 'PRIMARY',
  taskDefinitionArn: `td:${id}`,
  createdAtMs: 0,
  updatedAtMs: 0,
  failedTasks: 0,
  healthyCount: 0,
  rolloutState: 'IN_PROGRESS',
  rolloutStateReason: '',
  ...patch,
});

function service(patch: Partial<ServiceRecord> = {}): ServiceRecord {
  return {
    deployments: [deployment('ecs-svc/2')],
    circuitBreaker: { enable: true, rollback: true },
    accountedTaskIds: [],
    throttle: { consecutiveStartFailures: 0 },
    taskDefinitionArn: 'td:ecs-svc/2',
    loadBalancers: [],
    ...patch,
  } as ServiceRecord;
}

const stopped = (id: string, patch: Partial<TaskRecord>): TaskRecord =>
  ({
    taskId: id,
    startedBy: 'ecs-svc/2',
    desiredStatus: 'STOPPED',
    lastStatus: 'STOPPING',
    ...patch,
  }) as TaskRecord;

describe('circuitBreakerThreshold: clamp(ceil(0.5 × desired), 10, 200)', () => {
  for (const [desired, threshold] of [
    [1, 10],
    [20, 10],
    [25, 13],
    [400, 200],
    [800, 200],
  ] as const) {
    it(`${desired} tasks → ${threshold}`, () => expect(circuitBreakerThreshold(desired)).toBe(threshold));
  }
});

describe('accountStoppedTasks', () => {
  it('counts failed tasks once against their deployment; scheduler and user stops do not count', () => {
    const tasks = [
      stopped('a', { stopCode: 'EssentialContainerExited', startedAtMs: 1 }),
      stopped('b', { stopCode: 'TaskFailedToStart' }),
      stopped('c', { stopCode: 'ServiceSchedulerInitiated', stoppedReason: taskFailedElbHealthChecks('tg') }),
      stopped('d', { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (x)' }),
      stopped('e', { stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user' }),
    ];
    const once = accountStoppedTasks(service(), tasks, NOW);
    expect(once.service.deployments[0]!.failedTasks).toBe(3);
    expect(once.accounted.map((task) => task.taskId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const marked = tasks.map((task) => ({ ...task, serviceAccounted: true }));
    const twice = accountStoppedTasks(once.service, marked, NOW);
    expect(twice.service).toBe(once.service);
    expect(twice.accounted).toEqual([]);
  });

  it('a task that never ran feeds the start throttle; one that starts afterwards ends it', () => {
    const failures = [1, 2, 3].map((n) => stopped(`f${n}`, { stopCode: 'TaskFailedToStart' }));
    const throttled = accountStoppedTasks(service(), failures, NOW).service;
    expect(throttled.throttle).toEqual({
      consecutiveStartFailures: 3,
      lastFailureAtMs: NOW,
      nextStartAtMs: NOW + 30_000,
    });
    const counted = failures.map((task) => ({ ...task, serviceAccounted: true }));
    const ran = {
      ...stopped('ok', {}),
      desiredStatus: 'RUNNING',
      lastStatus: 'RUNNING',
      startedAtMs: NOW + 1,
    } as TaskRecord;
    expect(accountStoppedTasks(throttled, [...counted, ran], NOW + 1).service.throttle).toEqual({
      consecutiveStartFailures: 0,
    });
  });
});

it('resetOnHealthyTasks: a rise in healthy tasks resets failedTasks', () => {
  const [reset] = resetOnHealthyTasks([deployment('d', { failedTasks: 4, healthyCount: 1 })], { d: 2 });
  expect(reset).toMatchObject({ failedTasks: 0, healthyCount: 2 });
  const [kept] = resetOnHealthyTasks([deployment('d', { failedTasks: 4, healthyCount: 2 })], { d: 1 });
  expect(kept).toMatchObject({ failedTasks: 4, healthyCount: 1 });
});

describe('evaluateCircuitBreaker', () => {
  const completed = { id: 'ecs-svc/1', taskDefinitionArn: 'td:ecs-svc/1', loadBalancers: [] };

  it('below the threshold nothing happens', () => {
    const record = service({ deployments: [deployment('ecs-svc/2', { failedTasks: 9 })], lastCompleted: completed });
    expect(evaluateCircuitBreaker(record, 2, seededRandom(1), NOW).trip).toBeUndefined();
  });

  it('at the threshold: FAILED, and a rollback deployment to the last completed one', () => {
    const record = service({
      deployments: [deployment('ecs-svc/2', { failedTasks: 10 }), deployment('ecs-svc/1', { status: 'ACTIVE' })],
      lastCompleted: completed,
    });
    const { service: next, trip } = evaluateCircuitBreaker(record, 2, seededRandom(1), NOW);
    expect(trip!.failed).toMatchObject({ id: 'ecs-svc/2', status: 'ACTIVE', rolloutState: 'FAILED' });
    expect(next.taskDefinitionArn).toBe('td:ecs-svc/1');
    expect(next.deployments.map((d) => [d.status, d.rolloutState])).toEqual([
      ['PRIMARY', 'IN_PROGRESS'],
      ['ACTIVE', 'FAILED'],
      ['ACTIVE', 'IN_PROGRESS'],
    ]);
    expect(next.deployments[0]!.rolloutStateReason).toBe(
      'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.',
    );
  });

  it('without rollback, or with nothing completed before, the PRIMARY deployment is FAILED', () => {
    const record = service({
      deployments: [deployment('ecs-svc/2', { failedTasks: 10 })],
      circuitBreaker: { enable: true, rollback: false },
      lastCompleted: completed,
    });
    const { service: next, trip } = evaluateCircuitBreaker(record, 2, seededRandom(1), NOW);
    expect(trip!.rollback).toBeUndefined();
    expect(next.deployments).toEqual([expect.objectContaining({ status: 'PRIMARY', rolloutState: 'FAILED' })]);
    const first = evaluateCircuitBreaker(
      service({ deployments: [deployment('ecs-svc/2', { failedTasks: 10 })] }),
      2,
      seededRandom(1),
      NOW,
    );
    expect(first.trip!.rollback).toBeUndefined();
  });

  it('disabled: never trips', () => {
    const record = service({
      deployments: [deployment('ecs-svc/2', { failedTasks: 500 })],
      circuitBreaker: { enable: false, rollback: false },
    });
    expect(evaluateCircuitBreaker(record, 2, seededRandom(1), NOW).trip).toBeUndefined();
  });
});
