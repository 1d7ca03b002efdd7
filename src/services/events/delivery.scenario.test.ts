/**
 * EventBridge delivery on the virtual clock, read like the AWS docs it checks: an Auto Scaling
 * lifecycle event reaches the drain function's rule; an input transformer shapes what the target
 * gets; a failing target is retried with backoff (`eb-rule-retry-policy`) and then dead-lettered
 * (`eb-rule-dlq`); a disabled rule delivers nothing; scheduled rules fire on the clock; accepted
 * events survive a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceError } from '../../kernel/service-error.js';
import { openStore } from '../../store/store.js';
import { afterFailure, retryDelayMs, type DeliveryRecord } from './delivery.js';
import type { AwsEventInput } from './ports.js';
import { eventsMigrations } from './store.js';
import { ACCOUNT_ID, eventsScenario, HOUR, MINUTE, REGION, SECOND, type EventsScenario } from './test-support.js';

const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:drain`;
const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:lifecycle`;
const DLQ_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:lifecycle-dlq`;
const GROUP_ARN = `arn:aws:autoscaling:${REGION}:${ACCOUNT_ID}:autoScalingGroup:042cba90-ad2f-431c-9b4d-6d9055bcc9fb:autoScalingGroupName/my-asg`;

const DRAIN_PATTERN = JSON.stringify({
  source: ['aws.autoscaling'],
  'detail-type': ['EC2 Instance-terminate Lifecycle Action'],
  detail: { AutoScalingGroupName: ['my-asg'] },
});

function terminateAction(t: EventsScenario, group = 'my-asg', instanceId = 'i-1234567890abcdef0'): AwsEventInput {
  return {
    accountId: ACCOUNT_ID,
    region: REGION,
    source: 'aws.autoscaling',
    detailType: 'EC2 Instance-terminate Lifecycle Action',
    resources: [GROUP_ARN],
    detail: {
      LifecycleActionToken: '87654321-4321-4321-4321-210987654321',
      AutoScalingGroupName: group,
      LifecycleHookName: 'drain-hook',
      EC2InstanceId: instanceId,
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      Origin: 'AutoScalingGroup',
      Destination: 'EC2',
    },
    timeMs: t.clock.now(),
  };
}

let t: EventsScenario;

afterEach(async () => {
  await t.close();
});

async function drainRule(target: Record<string, unknown> = { Id: 'drain', Arn: FUNCTION_ARN }) {
  await t.call('PutRule', { Name: 'drain-on-terminate', EventPattern: DRAIN_PATTERN });
  await t.call('PutTargets', { Rule: 'drain-on-terminate', Targets: [target] });
}

describe('AWS service events reach rules on the default bus', () => {
  it('an EC2 Instance-terminate Lifecycle Action reaches the drain rule’s target as the full envelope', async () => {
    t = eventsScenario();
    await drainRule();
    const publishedAtMs = t.clock.now();
    t.service.eventBus.publish(terminateAction(t));
    t.service.eventBus.publish(terminateAction(t, 'another-asg'));

    // Delivery happens on the clock, never inside the publisher's call.
    expect(t.targets.received).toEqual([]);
    expect(t.service.pendingDeliveries()).toBe(1);
    await t.settle();

    expect(t.targets.received).toHaveLength(1);
    const [delivery] = t.targets.received;
    expect(delivery!.targetArn).toBe(FUNCTION_ARN);
    expect(delivery!.scope).toEqual({ accountId: ACCOUNT_ID, region: REGION });
    expect(delivery!.atMs).toBe(publishedAtMs);
    const envelope = JSON.parse(delivery!.input) as Record<string, unknown>;
    expect(Object.keys(envelope)).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
    expect(envelope).toMatchObject({
      version: '0',
      'detail-type': 'EC2 Instance-terminate Lifecycle Action',
      source: 'aws.autoscaling',
      account: ACCOUNT_ID,
      time: new Date(publishedAtMs).toISOString().replace('.000Z', 'Z'),
      region: REGION,
      resources: [GROUP_ARN],
      detail: {
        AutoScalingGroupName: 'my-asg',
        LifecycleHookName: 'drain-hook',
        EC2InstanceId: 'i-1234567890abcdef0',
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        Origin: 'AutoScalingGroup',
        Destination: 'EC2',
      },
    });
    expect(envelope.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(t.service.pendingDeliveries()).toBe(0);
    expect(t.deliveryLog).toEqual([
      expect.objectContaining({
        ruleArn: `arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/drain-on-terminate`,
        targetArn: FUNCTION_ARN,
        ok: true,
        attempt: 1,
        kind: 'target',
      }),
    ]);
  });

  it('events of another account or region do not reach the rule', async () => {
    t = eventsScenario();
    await drainRule();
    t.service.eventBus.publish({ ...terminateAction(t), region: 'eu-west-1' });
    t.service.eventBus.publish({ ...terminateAction(t), accountId: '999999999999' });
    await t.settle();
    expect(t.targets.received).toEqual([]);
  });

  it('every target of every matching rule gets the event', async () => {
    t = eventsScenario();
    await drainRule();
    await t.call('PutTargets', { Rule: 'drain-on-terminate', Targets: [{ Id: 'queue', Arn: QUEUE_ARN }] });
    await t.call('PutRule', { Name: 'all-autoscaling', EventPattern: '{"source":["aws.autoscaling"]}' });
    await t.call('PutTargets', { Rule: 'all-autoscaling', Targets: [{ Id: 'audit', Arn: `${QUEUE_ARN}-audit` }] });
    t.service.eventBus.publish(terminateAction(t));
    await t.settle();
    expect(t.targets.received.map((entry) => entry.targetArn).sort()).toEqual(
      [FUNCTION_ARN, QUEUE_ARN, `${QUEUE_ARN}-audit`].sort(),
    );
  });

  it('an InputTransformer shapes what the target receives', async () => {
    t = eventsScenario();
    await drainRule({
      Id: 'drain',
      Arn: FUNCTION_ARN,
      InputTransformer: {
        InputPathsMap: {
          instance: '$.detail.EC2InstanceId',
          group: '$.detail.AutoScalingGroupName',
          token: '$.detail.LifecycleActionToken',
        },
        InputTemplate:
          '{"instance": <instance>, "group": "<group>", "rule": <aws.events.rule-name>, "message": "drain <instance> of <group>", "token": <token>}',
      },
    });
    t.service.eventBus.publish(terminateAction(t));
    await t.settle();
    expect(t.targets.received[0]!.input).toBe(
      '{"instance":"i-1234567890abcdef0","group":"my-asg","rule":"drain-on-terminate","message":"drain i-1234567890abcdef0 of my-asg","token":"87654321-4321-4321-4321-210987654321"}',
    );
  });

  it('InputPath and Input', async () => {
    t = eventsScenario();
    await drainRule({ Id: 'detail', Arn: FUNCTION_ARN, InputPath: '$.detail.EC2InstanceId' });
    await t.call('PutTargets', {
      Rule: 'drain-on-terminate',
      Targets: [{ Id: 'constant', Arn: QUEUE_ARN, Input: '{"wake":"up"}' }],
    });
    t.service.eventBus.publish(terminateAction(t));
    await t.settle();
    expect(t.targets.inputsOf(FUNCTION_ARN)).toEqual(['i-1234567890abcdef0']);
    expect(t.targets.inputsOf(QUEUE_ARN)).toEqual([{ wake: 'up' }]);
  });
});

describe('a disabled rule', () => {
  it('delivers nothing until it is enabled again', async () => {
    t = eventsScenario();
    await drainRule();
    await t.call('DisableRule', { Name: 'drain-on-terminate' });
    t.service.eventBus.publish(terminateAction(t));
    await t.settle();
    expect(t.targets.received).toEqual([]);
    expect(t.service.pendingDeliveries()).toBe(0);

    await t.call('EnableRule', { Name: 'drain-on-terminate' });
    t.service.eventBus.publish(terminateAction(t, 'my-asg', 'i-0000000000000000b'));
    await t.settle();
    expect(t.targets.inputsOf(FUNCTION_ARN)).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ EC2InstanceId: 'i-0000000000000000b' }) }),
    ]);
  });

  it('PutRule with State DISABLED delivers nothing', async () => {
    t = eventsScenario();
    await t.call('PutRule', { Name: 'off', EventPattern: '{"source":["aws.autoscaling"]}', State: 'DISABLED' });
    await t.call('PutTargets', { Rule: 'off', Targets: [{ Id: 'f', Arn: FUNCTION_ARN }] });
    t.service.eventBus.publish(terminateAction(t));
    await t.settle();
    expect(t.targets.calls).toEqual([]);
  });
});

describe('retries and the dead-letter queue', () => {
  it('a failing target is retried with growing backoff, then the event goes to the DLQ with AWS’s attributes', async () => {
    t = eventsScenario();
    await drainRule({
      Id: 'drain',
      Arn: FUNCTION_ARN,
      RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: DLQ_ARN },
    });
    t.targets.failNext(FUNCTION_ARN);
    const startMs = t.clock.now();
    t.service.eventBus.publish(terminateAction(t));
    await t.settle();

    const attempts = t.targets.calls.filter((call) => call.targetArn === FUNCTION_ARN);
    expect(attempts).toHaveLength(5); // the first try and 4 retries
    const gaps = attempts.slice(1).map((attempt, index) => attempt.atMs - attempts[index]!.atMs);
    expect(attempts[0]!.atMs).toBe(startMs);
    for (const [index, gap] of gaps.entries()) {
      const ceiling = Math.min(10 * MINUTE, SECOND * 2 ** index);
      expect(gap).toBeGreaterThanOrEqual(ceiling / 2);
      expect(gap).toBeLessThanOrEqual(ceiling);
    }
    expect(gaps[3]!).toBeGreaterThan(gaps[0]!);

    const dead = t.targets.received.filter((entry) => entry.targetArn === DLQ_ARN);
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0]!.input)).toMatchObject({
      source: 'aws.autoscaling',
      detail: { EC2InstanceId: 'i-1234567890abcdef0' },
    });
    expect(dead[0]!.attributes).toEqual({
      RULE_ARN: `arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/drain-on-terminate`,
      TARGET_ARN: FUNCTION_ARN,
      ERROR_CODE: 'ServiceUnavailable',
      ERROR_MESSAGE: 'The target is down.',
      RETRY_ATTEMPTS: '4',
    });
    expect(t.service.pendingDeliveries()).toBe(0);
    expect(t.deliveryLog.map((entry) => [entry.kind, entry.ok])).toEqual([
      ['target', false],
      ['target', false],
      ['target', false],
      ['target', false],
      ['target', false],
      ['dead-letter', true],
    ]);
  });

  it('a target that recovers during the retries gets the event once, and the DLQ nothing', async () => {
    t = eventsScenario();
    await drainRule({ Id: 'drain', Arn: FUNCTION_ARN, DeadLetterConfig: { Arn: DLQ_ARN } });
    t.targets.refuseNext(FUNCTION_ARN, 3);
    t.service.eventBus.publish(terminateAction(t));
    await t.settle();
    expect(t.targets.calls.filter((call) => call.targetArn === FUNCTION_ARN)).toHaveLength(4);
    expect(t.targets.received.map((entry) => entry.targetArn)).toEqual([FUNCTION_ARN]);
  });

  it('by default retries 185 times within 24 hours, then drops the event (no DLQ)', async () => {
    t = eventsScenario();
    await drainRule();
    t.targets.failNext(FUNCTION_ARN);
    const startMs = t.clock.now();
    t.service.eventBus.publish(terminateAction(t));
    await t.settle(48 * HOUR);
    const attempts = t.targets.calls.filter((call) => call.targetArn === FUNCTION_ARN);
    const lastMs = attempts[attempts.length - 1]!.atMs;
    // The first try and 185 retries, spread over most of the day.
    expect(attempts).toHaveLength(186);
    expect(lastMs - startMs).toBeLessThanOrEqual(24 * HOUR);
    expect(lastMs - startMs).toBeGreaterThan(20 * HOUR);
    expect(t.service.pendingDeliveries()).toBe(0);
  });

  it('MaximumEventAgeInSeconds cuts the retries short', async () => {
    t = eventsScenario();
    await drainRule({
      Id: 'drain',
      Arn: FUNCTION_ARN,
      RetryPolicy: { MaximumEventAgeInSeconds: 60 },
      DeadLetterConfig: { Arn: DLQ_ARN },
    });
    t.targets.failNext(FUNCTION_ARN);
    const startMs = t.clock.now();
    t.service.eventBus.publish(terminateAction(t));
    await t.settle();
    const attempts = t.targets.calls.filter((call) => call.targetArn === FUNCTION_ARN);
    expect(attempts[attempts.length - 1]!.atMs - startMs).toBeLessThanOrEqual(60 * SECOND);
    expect(t.targets.received.filter((entry) => entry.targetArn === DLQ_ARN)).toHaveLength(1);
  });

  it('MaximumRetryAttempts 0 means one try', async () => {
    t = eventsScenario();
    await drainRule({
      Id: 'drain',
      Arn: FUNCTION_ARN,
      RetryPolicy: { MaximumRetryAttempts: 0 },
      DeadLetterConfig: { Arn: DLQ_ARN },
    });
    t.targets.failNext(FUNCTION_ARN);
    t.service.eventBus.publish(terminateAction(t));
    await t.settle();
    expect(t.targets.calls.map((call) => call.targetArn)).toEqual([FUNCTION_ARN, DLQ_ARN]);
    expect(t.targets.received[0]!.attributes?.RETRY_ATTEMPTS).toBe('0');
  });

  it('a target that does not exist is not retried: straight to the DLQ', async () => {
    t = eventsScenario();
    await drainRule({ Id: 'drain', Arn: FUNCTION_ARN, DeadLetterConfig: { Arn: DLQ_ARN } });
    t.targets.existing = new Set([DLQ_ARN]);
    t.service.eventBus.publish(terminateAction(t));
    await t.settle();
    expect(t.targets.calls.map((call) => call.targetArn)).toEqual([DLQ_ARN]);
    expect(t.targets.received[0]!.attributes).toMatchObject({
      ERROR_CODE: 'ResourceNotFoundException',
      RETRY_ATTEMPTS: '0',
    });
  });

  it('an access-denied answer is not retried either', async () => {
    t = eventsScenario();
    await drainRule({ Id: 'drain', Arn: FUNCTION_ARN });
    t.targets.failNext(FUNCTION_ARN, 1, () => new ServiceError('AccessDeniedException', 'no'));
    t.service.eventBus.publish(terminateAction(t));
    await t.settle();
    expect(t.targets.calls).toHaveLength(1);
    expect(t.targets.received).toHaveLength(0);
  });

  it('backoff grows from 1 s to a 10-minute ceiling, with jitter in its upper half', () => {
    expect(retryDelayMs(1, 0)).toBe(500);
    expect(retryDelayMs(1, 0.999)).toBe(1000);
    expect(retryDelayMs(4, 0)).toBe(4000);
    expect(retryDelayMs(40, 0.5)).toBe(450_000);
    const record: DeliveryRecord = {
      id: 'd',
      accountId: ACCOUNT_ID,
      region: REGION,
      ruleArn: 'r',
      ruleName: 'r',
      targetId: 't',
      targetArn: 'a',
      input: '{}',
      ingestedAtMs: 0,
      attempts: 0,
      nextAttemptAtMs: 0,
      maximumRetryAttempts: 2,
      maximumEventAgeMs: 3_600_000,
    };
    const first = afterFailure(record, { code: 'X', message: 'x' }, 0, 0);
    expect(first).toMatchObject({ kind: 'retry', record: { attempts: 1, nextAttemptAtMs: 500 } });
    const second = afterFailure({ ...record, attempts: 1 }, { code: 'X', message: 'x' }, 500, 0);
    expect(second).toMatchObject({ kind: 'retry', record: { attempts: 2, nextAttemptAtMs: 1500 } });
    expect(afterFailure({ ...record, attempts: 2 }, { code: 'X', message: 'x' }, 1500, 0).kind).toBe('give-up');
  });
});

describe('PutEvents', () => {
  it('custom events on a custom bus reach that bus’s rules only', async () => {
    t = eventsScenario();
    await t.call('CreateEventBus', { Name: 'orders' });
    await t.call('PutRule', {
      Name: 'big',
      EventBusName: 'orders',
      EventPattern: '{"detail":{"total":[{"numeric":[">",100]}]}}',
    });
    await t.call('PutTargets', { Rule: 'big', EventBusName: 'orders', Targets: [{ Id: 'q', Arn: QUEUE_ARN }] });
    await t.call('PutRule', { Name: 'everything', EventPattern: '{"source":[{"prefix":""}]}' });
    await t.call('PutTargets', { Rule: 'everything', Targets: [{ Id: 'f', Arn: FUNCTION_ARN }] });
    const result = await t.call<{ FailedEntryCount: number; Entries: Array<{ EventId?: string }> }>('PutEvents', {
      Entries: [
        {
          Source: 'shop',
          DetailType: 'Order',
          Detail: '{"total": 150.50}',
          EventBusName: 'orders',
          Time: new Date('2026-01-01T00:00:00.123Z'),
        },
        { Source: 'shop', DetailType: 'Order', Detail: '{"total": 5}', EventBusName: 'orders' },
      ],
    });
    expect(result.FailedEntryCount).toBe(0);
    await t.settle();
    expect(t.targets.received).toHaveLength(1);
    const delivered = t.targets.received[0]!;
    expect(delivered.targetArn).toBe(QUEUE_ARN);
    expect(delivered.input).toContain('"detail":{"total":150.50}');
    expect(JSON.parse(delivered.input)).toMatchObject({
      id: result.Entries[0]!.EventId,
      time: '2026-01-01T00:00:00Z',
      source: 'shop',
      'detail-type': 'Order',
    });
  });
});

describe('scheduled rules', () => {
  it('rate(5 minutes) sends its targets a Scheduled Event every 5 minutes', async () => {
    t = eventsScenario();
    const createdAtMs = t.clock.now();
    await t.call('PutRule', { Name: 'tick', ScheduleExpression: 'rate(5 minutes)' });
    await t.call('PutTargets', { Rule: 'tick', Targets: [{ Id: 'f', Arn: FUNCTION_ARN }] });
    await t.clock.advanceBy(16 * MINUTE);
    expect(t.targets.received.map((entry) => entry.atMs - createdAtMs)).toEqual([5 * MINUTE, 10 * MINUTE, 15 * MINUTE]);
    expect(JSON.parse(t.targets.received[0]!.input)).toMatchObject({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: ACCOUNT_ID,
      region: REGION,
      resources: [`arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/tick`],
      detail: {},
      time: new Date(createdAtMs + 5 * MINUTE).toISOString().replace('.000Z', 'Z'),
    });

    await t.call('DisableRule', { Name: 'tick' });
    await t.clock.advanceBy(30 * MINUTE);
    expect(t.targets.received).toHaveLength(3);
    const enabledAtMs = t.clock.now();
    await t.call('EnableRule', { Name: 'tick' });
    await t.clock.advanceBy(6 * MINUTE);
    expect(t.targets.received.map((entry) => entry.atMs - enabledAtMs).slice(3)).toEqual([5 * MINUTE]);
  });

  it('cron(0/15 * * * ? *) fires on the quarter hours (UTC)', async () => {
    t = eventsScenario();
    await t.clock.advanceBy(7 * MINUTE);
    await t.call('PutRule', { Name: 'quarters', ScheduleExpression: 'cron(0/15 * * * ? *)' });
    await t.call('PutTargets', { Rule: 'quarters', Targets: [{ Id: 'f', Arn: FUNCTION_ARN }] });
    await t.clock.advanceBy(HOUR);
    expect(t.targets.received.map((entry) => new Date(entry.atMs).toISOString().slice(11, 16))).toEqual([
      '00:15',
      '00:30',
      '00:45',
      '01:00',
    ]);
  });

  it('a deleted scheduled rule stops firing', async () => {
    t = eventsScenario();
    await t.call('PutRule', { Name: 'tick', ScheduleExpression: 'rate(1 minute)' });
    await t.call('PutTargets', { Rule: 'tick', Targets: [{ Id: 'f', Arn: FUNCTION_ARN }] });
    await t.clock.advanceBy(2 * MINUTE + SECOND);
    await t.call('RemoveTargets', { Rule: 'tick', Ids: ['f'] });
    await t.call('DeleteRule', { Name: 'tick' });
    await t.clock.advanceBy(10 * MINUTE);
    expect(t.targets.received).toHaveLength(2);
  });
});

describe('durability', () => {
  it('an accepted event is delivered after a restart', async () => {
    const store = openStore({ location: 'memory', migrations: eventsMigrations });
    const before = eventsScenario({ store });
    t = before;
    await drainRule();
    before.targets.failNext(FUNCTION_ARN, 1);
    before.service.eventBus.publish(terminateAction(before));
    await before.clock.advanceBy(0);
    expect(before.targets.calls).toHaveLength(1);
    expect(before.service.pendingDeliveries()).toBe(1);
    await before.close();

    t = eventsScenario({ store });
    await t.settle();
    expect(t.targets.received.map((entry) => entry.targetArn)).toEqual([FUNCTION_ARN]);
    expect(t.service.pendingDeliveries()).toBe(0);
    await t.close();
    t = eventsScenario();
    store.close();
  });
});
