/**
 * EventBridge through the real AWS SDK v3 client against a gateway on an ephemeral port: the
 * service runs on a virtual clock with a fake EventTargetsPort, so deliveries are observed where
 * Lambda, SQS and SNS would receive them. Every implemented operation is called, and every error
 * is checked for the name, message and HTTP status the SDK sees.
 */
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListArchivesCommand,
  ListEventBusesCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_ID, eventsScenario, REGION, type EventsScenario } from '../../src/services/events/test-support.js';
import { awsError } from '../support/drydock.js';
import type { TestGateway } from '../support/gateway-rig.js';
import { sdkConfig, startTestGateway } from '../support/gateway-rig.js';

let t: EventsScenario;
let gateway: TestGateway;
let events: EventBridgeClient;

const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:drain`;
const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:work`;
const DEFAULT_BUS_ARN = `arn:aws:events:${REGION}:${ACCOUNT_ID}:event-bus/default`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeEach(async () => {
  t = eventsScenario();
  gateway = await startTestGateway({
    clock: t.clock,
    accountId: ACCOUNT_ID,
    region: REGION,
    seed: 7,
    services: { events: t.service.operations },
  });
  events = new EventBridgeClient(sdkConfig(gateway.url, REGION));
});

afterEach(async () => {
  events.destroy();
  await gateway.close();
  await t.close();
});

async function expectError(promise: Promise<unknown>, name: string, message: string | RegExp, status = 400) {
  const error = await awsError(() => promise);
  expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual({ name, status });
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
}

const LIFECYCLE_PATTERN = JSON.stringify({
  source: ['aws.autoscaling'],
  'detail-type': ['EC2 Instance-terminate Lifecycle Action'],
  detail: { AutoScalingGroupName: ['my-asg'] },
});

describe('event buses', () => {
  it('the default bus exists from the start; custom buses are created, listed, described and deleted', async () => {
    const described = await events.send(new DescribeEventBusCommand({}));
    expect(described).toMatchObject({ Name: 'default', Arn: DEFAULT_BUS_ARN });
    expect(described.CreationTime).toBeInstanceOf(Date);

    const created = await events.send(new CreateEventBusCommand({ Name: 'orders', Description: 'shop orders' }));
    expect(created.EventBusArn).toBe(`arn:aws:events:${REGION}:${ACCOUNT_ID}:event-bus/orders`);
    expect(created.Description).toBe('shop orders');
    await events.send(new CreateEventBusCommand({ Name: 'orders-eu' }));

    expect(await events.send(new DescribeEventBusCommand({ Name: created.EventBusArn }))).toMatchObject({
      Name: 'orders',
      Arn: created.EventBusArn,
      Description: 'shop orders',
    });
    const all = await events.send(new ListEventBusesCommand({}));
    expect(all.EventBuses!.map((bus) => bus.Name)).toEqual(['default', 'orders', 'orders-eu']);
    const first = await events.send(new ListEventBusesCommand({ NamePrefix: 'orders', Limit: 1 }));
    expect(first.EventBuses!.map((bus) => bus.Name)).toEqual(['orders']);
    const second = await events.send(
      new ListEventBusesCommand({ NamePrefix: 'orders', Limit: 1, NextToken: first.NextToken }),
    );
    expect(second.EventBuses!.map((bus) => bus.Name)).toEqual(['orders-eu']);
    expect(second.NextToken).toBeUndefined();

    await events.send(new DeleteEventBusCommand({ Name: 'orders' }));
    await events.send(new DeleteEventBusCommand({ Name: 'orders' }));
    await expectError(
      events.send(new DescribeEventBusCommand({ Name: 'orders' })),
      'ResourceNotFoundException',
      'Event bus orders does not exist.',
    );
  });

  it('errors', async () => {
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    await expectError(
      events.send(new CreateEventBusCommand({ Name: 'orders' })),
      'ResourceAlreadyExistsException',
      'Event bus orders already exists.',
    );
    await expectError(
      events.send(new CreateEventBusCommand({ Name: 'default' })),
      'ResourceAlreadyExistsException',
      'Event bus default already exists.',
    );
    await expectError(
      events.send(new DeleteEventBusCommand({ Name: 'default' })),
      'ValidationException',
      'Cannot delete event bus default.',
    );
    await expectError(
      events.send(new CreateEventBusCommand({ Name: 'bad name' })),
      'ValidationException',
      "1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+",
    );
    await expectError(
      events.send(new DescribeEventBusCommand({ Name: `arn:aws:events:eu-west-1:${ACCOUNT_ID}:event-bus/orders` })),
      'ResourceNotFoundException',
      'Event bus orders does not exist.',
    );
  });

  it('deleting a bus deletes its rules', async () => {
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    await events.send(new PutRuleCommand({ Name: 'r', EventBusName: 'orders', EventPattern: '{"source":["shop"]}' }));
    await events.send(new DeleteEventBusCommand({ Name: 'orders' }));
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    expect((await events.send(new ListRulesCommand({ EventBusName: 'orders' }))).Rules).toEqual([]);
  });
});

describe('rules', () => {
  it('PutRule, DescribeRule, ListRules, Enable/DisableRule, DeleteRule', async () => {
    const { RuleArn } = await events.send(
      new PutRuleCommand({ Name: 'drain', EventPattern: LIFECYCLE_PATTERN, Description: 'drain on terminate' }),
    );
    expect(RuleArn).toBe(`arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/drain`);
    const described = await events.send(new DescribeRuleCommand({ Name: 'drain' }));
    expect(described).toMatchObject({
      Name: 'drain',
      Arn: RuleArn,
      EventPattern: LIFECYCLE_PATTERN,
      State: 'ENABLED',
      Description: 'drain on terminate',
      EventBusName: 'default',
      CreatedBy: ACCOUNT_ID,
    });

    await events.send(new DisableRuleCommand({ Name: 'drain' }));
    expect((await events.send(new DescribeRuleCommand({ Name: 'drain' }))).State).toBe('DISABLED');
    await events.send(new EnableRuleCommand({ Name: 'drain', EventBusName: DEFAULT_BUS_ARN }));
    expect((await events.send(new DescribeRuleCommand({ Name: 'drain' }))).State).toBe('ENABLED');

    // PutRule replaces the rule: what it omits is cleared, its targets stay.
    await events.send(new PutTargetsCommand({ Rule: 'drain', Targets: [{ Id: 'f', Arn: FUNCTION_ARN }] }));
    await events.send(new PutRuleCommand({ Name: 'drain', ScheduleExpression: 'rate(5 minutes)' }));
    const replaced = await events.send(new DescribeRuleCommand({ Name: 'drain' }));
    expect(replaced.Description).toBeUndefined();
    expect(replaced.EventPattern).toBeUndefined();
    expect(replaced.ScheduleExpression).toBe('rate(5 minutes)');
    expect((await events.send(new ListTargetsByRuleCommand({ Rule: 'drain' }))).Targets).toHaveLength(1);

    await events.send(new PutRuleCommand({ Name: 'drain-2', EventPattern: LIFECYCLE_PATTERN, State: 'DISABLED' }));
    await events.send(new PutRuleCommand({ Name: 'other', EventPattern: '{"source":["x"]}' }));
    const listed = await events.send(new ListRulesCommand({ NamePrefix: 'drain' }));
    expect(listed.Rules!.map((rule) => [rule.Name, rule.State, rule.EventBusName])).toEqual([
      ['drain', 'ENABLED', 'default'],
      ['drain-2', 'DISABLED', 'default'],
    ]);
    const page = await events.send(new ListRulesCommand({ Limit: 2 }));
    expect(page.Rules!.map((rule) => rule.Name)).toEqual(['drain', 'drain-2']);
    const rest = await events.send(new ListRulesCommand({ Limit: 2, NextToken: page.NextToken }));
    expect(rest.Rules!.map((rule) => rule.Name)).toEqual(['other']);

    await expectError(
      events.send(new DeleteRuleCommand({ Name: 'drain' })),
      'ValidationException',
      "Rule can't be deleted since it has targets.",
    );
    await events.send(new RemoveTargetsCommand({ Rule: 'drain', Ids: ['f'] }));
    await events.send(new DeleteRuleCommand({ Name: 'drain' }));
    await events.send(new DeleteRuleCommand({ Name: 'drain' }));
    await expectError(
      events.send(new DescribeRuleCommand({ Name: 'drain' })),
      'ResourceNotFoundException',
      'Rule drain does not exist on EventBus default.',
    );
  });

  it('rules on a custom bus', async () => {
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    const { RuleArn } = await events.send(
      new PutRuleCommand({ Name: 'big', EventBusName: 'orders', EventPattern: '{"source":["shop"]}' }),
    );
    expect(RuleArn).toBe(`arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/orders/big`);
    expect((await events.send(new DescribeRuleCommand({ Name: 'big', EventBusName: 'orders' }))).EventBusName).toBe(
      'orders',
    );
    await expectError(
      events.send(new DescribeRuleCommand({ Name: 'big' })),
      'ResourceNotFoundException',
      'Rule big does not exist on EventBus default.',
    );
  });

  it('errors', async () => {
    await expectError(
      events.send(new PutRuleCommand({ Name: 'r' })),
      'ValidationException',
      'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    );
    await expectError(
      events.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source": "aws.ec2"}' })),
      'InvalidEventPatternException',
      'Event pattern is not valid. Reason: "source" must be an object or an array',
    );
    await expectError(
      events.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"detail": {"n": [{"numeric": [">", "5"]}]}}' })),
      'InvalidEventPatternException',
      'Event pattern is not valid. Reason: Value of > must be numeric',
    );
    await expectError(
      events.send(new PutRuleCommand({ Name: 'r', ScheduleExpression: 'rate(5 seconds)' })),
      'ValidationException',
      'Parameter ScheduleExpression is not valid.',
    );
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    await expectError(
      events.send(new PutRuleCommand({ Name: 'r', EventBusName: 'orders', ScheduleExpression: 'rate(5 minutes)' })),
      'ValidationException',
      'ScheduleExpression is supported only on the default event bus.',
    );
    await expectError(
      events.send(new PutRuleCommand({ Name: 'r', EventBusName: 'nope', EventPattern: '{"a":["b"]}' })),
      'ResourceNotFoundException',
      'Event bus nope does not exist.',
    );
    await expectError(
      events.send(new ListRulesCommand({ EventBusName: 'nope' })),
      'ResourceNotFoundException',
      'Event bus nope does not exist.',
    );
    await expectError(
      events.send(new EnableRuleCommand({ Name: 'nope' })),
      'ResourceNotFoundException',
      'Rule nope does not exist on EventBus default.',
    );
    await expectError(
      events.send(new DisableRuleCommand({ Name: 'nope' })),
      'ResourceNotFoundException',
      'Rule nope does not exist on EventBus default.',
    );
    await expectError(
      events.send(new PutRuleCommand({ Name: 'bad/name', EventPattern: '{"a":["b"]}' })),
      'ValidationException',
      "1 validation error detected: Value 'bad/name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    );
    await expectError(
      events.send(new ListRulesCommand({ NextToken: 'garbage' })),
      'ValidationException',
      'The NextToken provided is not valid.',
    );
  });
});

describe('targets', () => {
  beforeEach(async () => {
    await events.send(new PutRuleCommand({ Name: 'drain', EventPattern: LIFECYCLE_PATTERN }));
  });

  it('PutTargets, ListTargetsByRule, ListRuleNamesByTarget, RemoveTargets', async () => {
    const put = await events.send(
      new PutTargetsCommand({
        Rule: 'drain',
        Targets: [
          { Id: 'fn', Arn: FUNCTION_ARN, RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 600 } },
          { Id: 'queue', Arn: QUEUE_ARN, InputPath: '$.detail', DeadLetterConfig: { Arn: `${QUEUE_ARN}-dlq` } },
        ],
      }),
    );
    expect(put).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    expect((await events.send(new ListTargetsByRuleCommand({ Rule: 'drain' }))).Targets).toEqual([
      { Id: 'fn', Arn: FUNCTION_ARN, RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 600 } },
      { Id: 'queue', Arn: QUEUE_ARN, InputPath: '$.detail', DeadLetterConfig: { Arn: `${QUEUE_ARN}-dlq` } },
    ]);

    // The same Id replaces that target in place.
    await events.send(
      new PutTargetsCommand({ Rule: 'drain', Targets: [{ Id: 'fn', Arn: `${FUNCTION_ARN}:live`, Input: '{"a":1}' }] }),
    );
    const listed = await events.send(new ListTargetsByRuleCommand({ Rule: 'drain', Limit: 1 }));
    expect(listed.Targets).toEqual([{ Id: 'fn', Arn: `${FUNCTION_ARN}:live`, Input: '{"a":1}' }]);
    const next = await events.send(
      new ListTargetsByRuleCommand({ Rule: 'drain', Limit: 1, NextToken: listed.NextToken }),
    );
    expect(next.Targets!.map((target) => target.Id)).toEqual(['queue']);

    await events.send(new PutRuleCommand({ Name: 'audit', EventPattern: '{"source":["aws.ec2"]}' }));
    await events.send(new PutTargetsCommand({ Rule: 'audit', Targets: [{ Id: 'q', Arn: QUEUE_ARN }] }));
    expect((await events.send(new ListRuleNamesByTargetCommand({ TargetArn: QUEUE_ARN }))).RuleNames).toEqual([
      'audit',
      'drain',
    ]);

    const removed = await events.send(new RemoveTargetsCommand({ Rule: 'drain', Ids: ['queue', 'never-there'] }));
    expect(removed).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    expect(
      (await events.send(new ListTargetsByRuleCommand({ Rule: 'drain' }))).Targets!.map((target) => target.Id),
    ).toEqual(['fn']);
    expect((await events.send(new ListRuleNamesByTargetCommand({ TargetArn: QUEUE_ARN }))).RuleNames).toEqual([
      'audit',
    ]);
  });

  it('a rule holds at most five targets', async () => {
    const targets = (ids: number[]) => ids.map((id) => ({ Id: `t${id}`, Arn: `${QUEUE_ARN}-${id}` }));
    await events.send(new PutTargetsCommand({ Rule: 'drain', Targets: targets([1, 2, 3, 4, 5]) }));
    await expectError(
      events.send(new PutTargetsCommand({ Rule: 'drain', Targets: targets([6]) })),
      'LimitExceededException',
      'The requested resource exceeds the maximum number allowed.',
    );
    // Replacing one of the five is fine; nothing of a refused call is applied.
    await events.send(new PutTargetsCommand({ Rule: 'drain', Targets: targets([5]) }));
    expect((await events.send(new ListTargetsByRuleCommand({ Rule: 'drain' }))).Targets).toHaveLength(5);
  });

  it('errors', async () => {
    await expectError(
      events.send(new PutTargetsCommand({ Rule: 'nope', Targets: [{ Id: 'f', Arn: FUNCTION_ARN }] })),
      'ResourceNotFoundException',
      'Rule nope does not exist on EventBus default.',
    );
    await expectError(
      events.send(new ListTargetsByRuleCommand({ Rule: 'nope' })),
      'ResourceNotFoundException',
      'Rule nope does not exist on EventBus default.',
    );
    await expectError(
      events.send(new RemoveTargetsCommand({ Rule: 'nope', Ids: ['f'] })),
      'ResourceNotFoundException',
      'Rule nope does not exist on EventBus default.',
    );
    await expectError(
      events.send(new PutTargetsCommand({ Rule: 'drain', Targets: [{ Id: 'f', Arn: 'not-an-arn' }] })),
      'ValidationException',
      'Parameter not-an-arn is not valid. Reason: Provided Arn is not in correct format.',
    );
    await expectError(
      events.send(new PutTargetsCommand({ Rule: 'drain', Targets: [{ Id: 'f', Arn: `${QUEUE_ARN}.fifo` }] })),
      'ValidationException',
      'Parameter(s) SqsParameters must be specified for target: f.',
    );
    await expectError(
      events.send(
        new PutTargetsCommand({
          Rule: 'drain',
          Targets: [{ Id: 'f', Arn: FUNCTION_ARN, Input: '{}', InputPath: '$.detail' }],
        }),
      ),
      'ValidationException',
      'Only one of Input, InputPath, or InputTransformer must be provided for target f.',
    );
    await expectError(
      events.send(
        new PutTargetsCommand({
          Rule: 'drain',
          Targets: [{ Id: 'f', Arn: FUNCTION_ARN, InputTransformer: { InputTemplate: '{"a": <b>' } }],
        }),
      ),
      'ValidationException',
      /^Parameter InputTransformer is not valid for target f\. Reason: InputTemplate is not valid JSON/,
    );
    await expectError(
      events.send(
        new PutTargetsCommand({
          Rule: 'drain',
          Targets: [{ Id: 'f', Arn: FUNCTION_ARN, RetryPolicy: { MaximumRetryAttempts: 186 } }],
        }),
      ),
      'ValidationException',
      "1 validation error detected: Value '186' at 'targets.1.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 185",
    );
    await expectError(
      events.send(
        new PutTargetsCommand({
          Rule: 'drain',
          Targets: [{ Id: 'f', Arn: FUNCTION_ARN, DeadLetterConfig: { Arn: FUNCTION_ARN } }],
        }),
      ),
      'ValidationException',
      /DeadLetterConfig\.Arn/,
    );
    expect((await events.send(new ListTargetsByRuleCommand({ Rule: 'drain' }))).Targets).toEqual([]);
  });
});

describe('PutEvents', () => {
  it('accepts good entries, reports bad ones, and delivers the accepted events on the clock', async () => {
    await events.send(
      new PutRuleCommand({
        Name: 'shop',
        EventPattern: '{"source":["shop"],"detail":{"total":[{"numeric":[">=",100]}]}}',
      }),
    );
    await events.send(new PutTargetsCommand({ Rule: 'shop', Targets: [{ Id: 'q', Arn: QUEUE_ARN }] }));
    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'shop',
            DetailType: 'Order Placed',
            Detail: '{"total": 120, "id": "o-1"}',
            Resources: ['arn:aws:shop:::order/o-1'],
          },
          { DetailType: 'Order Placed', Detail: '{}' },
          { Source: 'shop', Detail: '{}' },
          { Source: 'shop', DetailType: 'Order Placed' },
          { Source: 'shop', DetailType: 'Order Placed', Detail: 'not json' },
          { Source: 'shop', DetailType: 'Order Placed', Detail: '[1,2]' },
          { Source: 'aws.autoscaling', DetailType: 'EC2 Instance-terminate Lifecycle Action', Detail: '{}' },
          { Source: 'shop', DetailType: 'Order Placed', Detail: '{"total": 5}', EventBusName: 'no-such-bus' },
          { Source: 'shop', DetailType: 'Order Placed', Detail: '{"total": 5}' },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(6);
    const entries = result.Entries!;
    expect(entries[0]!.EventId).toMatch(UUID);
    expect(entries.slice(1, 7)).toEqual([
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
      },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
      },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.',
      },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' },
    ]);
    // AWS accepts events for a bus that does not exist (and drops them).
    expect(entries[7]!.EventId).toMatch(UUID);
    expect(entries[8]!.EventId).toMatch(UUID);

    expect(t.targets.received).toEqual([]);
    await t.settle();
    expect(t.targets.inputsOf(QUEUE_ARN)).toEqual([
      {
        version: '0',
        id: entries[0]!.EventId,
        'detail-type': 'Order Placed',
        source: 'shop',
        account: ACCOUNT_ID,
        time: new Date(t.clock.now()).toISOString().replace('.000Z', 'Z'),
        region: REGION,
        resources: ['arn:aws:shop:::order/o-1'],
        detail: { total: 120, id: 'o-1' },
      },
    ]);
  });

  it('errors', async () => {
    const entry = { Source: 'shop', DetailType: 'x', Detail: '{}' };
    await expectError(
      events.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry) })),
      'ValidationException',
      /^1 validation error detected: Value .* at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10$/,
    );
    await expectError(
      events.send(
        new PutEventsCommand({ Entries: [{ ...entry, Detail: JSON.stringify({ big: 'x'.repeat(256 * 1024) }) }] }),
      ),
      'ValidationException',
      'Total size of the entries in the request is over the limit.',
    );
  });
});

describe('TestEventPattern', () => {
  const event = JSON.stringify({
    id: 'e-1',
    account: ACCOUNT_ID,
    source: 'aws.autoscaling',
    time: '2026-01-01T00:00:00Z',
    region: REGION,
    'detail-type': 'EC2 Instance-terminate Lifecycle Action',
    detail: { AutoScalingGroupName: 'my-asg' },
  });

  it('answers whether the pattern matches', async () => {
    expect(
      (await events.send(new TestEventPatternCommand({ EventPattern: LIFECYCLE_PATTERN, Event: event }))).Result,
    ).toBe(true);
    expect(
      (
        await events.send(
          new TestEventPatternCommand({
            EventPattern: '{"detail":{"AutoScalingGroupName":[{"anything-but":"my-asg"}]}}',
            Event: event,
          }),
        )
      ).Result,
    ).toBe(false);
  });

  it('errors', async () => {
    await expectError(
      events.send(new TestEventPatternCommand({ EventPattern: '{"source":[]}', Event: event })),
      'InvalidEventPatternException',
      'Event pattern is not valid. Reason: Empty arrays are not allowed',
    );
    await expectError(
      events.send(new TestEventPatternCommand({ EventPattern: LIFECYCLE_PATTERN, Event: '{"source":"x"}' })),
      'ValidationException',
      'Parameter Event is not valid.',
    );
    await expectError(
      events.send(new TestEventPatternCommand({ EventPattern: LIFECYCLE_PATTERN, Event: 'nope' })),
      'ValidationException',
      'Parameter Event is not valid.',
    );
  });
});

it('an operation drydock does not implement answers NotImplemented, naming it', async () => {
  await expectError(
    events.send(new ListArchivesCommand({})),
    'NotImplemented',
    'drydock does not implement EventBridge operation ListArchives yet.',
    501,
  );
});
