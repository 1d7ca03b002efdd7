import { describe, expect, it } from 'vitest';
import {
  arn,
  containerInstanceId,
  ec2Id,
  instanceId,
  lifecycleActionToken,
  parseArn,
  requestId,
  taskId,
  uuid,
} from './ids.js';
import { seededRandom } from './random.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ids', () => {
  it('makes EC2 long ids: prefix, dash, 17 lowercase hex', () => {
    const random = seededRandom(1);
    expect(instanceId(random)).toMatch(/^i-[0-9a-f]{17}$/);
    for (const prefix of ['vpc', 'subnet', 'sg', 'lt', 'ami', 'eni', 'vpc-endpoint']) {
      expect(ec2Id(random, prefix)).toMatch(new RegExp(`^${prefix}-[0-9a-f]{17}$`));
    }
    expect(ec2Id(random, 'sg-')).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(() => ec2Id(random, '')).toThrow(RangeError);
    expect(() => ec2Id(random, 'I')).toThrow(RangeError);
  });

  it('draws ids from the Random, so a seed reproduces them', () => {
    expect(instanceId(seededRandom(9))).toBe(instanceId(seededRandom(9)));
    expect(instanceId(seededRandom(9))).not.toBe(instanceId(seededRandom(10)));
  });

  it('makes UUID-shaped request ids and lifecycle action tokens, and 32-hex task ids', () => {
    const random = seededRandom(2);
    expect(uuid(random)).toMatch(UUID_V4);
    expect(requestId(random)).toMatch(UUID_V4);
    expect(lifecycleActionToken(random)).toMatch(UUID_V4);
    expect(taskId(random)).toMatch(/^[0-9a-f]{32}$/);
    expect(containerInstanceId(random)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('builds ARNs with the aws partition by default', () => {
    expect(
      arn({
        service: 'ecs',
        region: 'us-east-1',
        accountId: '000000000000',
        resource: 'task/prod/0123456789abcdef0123456789abcdef',
      }),
    ).toBe('arn:aws:ecs:us-east-1:000000000000:task/prod/0123456789abcdef0123456789abcdef');
    expect(arn({ partition: 'aws-cn', service: 'sns', region: 'cn-north-1', accountId: '1', resource: 'topic' })).toBe(
      'arn:aws-cn:sns:cn-north-1:1:topic',
    );
  });

  it('round-trips ARNs, including resources that hold colons and slashes', () => {
    const examples = [
      'arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:6d5af669-eb3b-4530-894b-e314a667f2e7:autoScalingGroupName/my-asg',
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/my-targets/73e2d6bc24d8a067',
      'arn:aws:lambda:us-east-1:123456789012:function:drain-handler:$LATEST',
      'arn:aws:iam::123456789012:role/ecsInstanceRole',
      'arn:aws:s3:::my-bucket/key',
    ];
    for (const text of examples) {
      const parts = parseArn(text);
      expect(parts).toBeDefined();
      expect(arn(parts!)).toBe(text);
    }
    expect(parseArn(examples[2]!)).toEqual({
      partition: 'aws',
      service: 'lambda',
      region: 'us-east-1',
      accountId: '123456789012',
      resource: 'function:drain-handler:$LATEST',
    });
  });

  it('returns undefined for text that is not an ARN', () => {
    for (const text of [
      '',
      'i-0123456789abcdef0',
      'arn:aws:ecs:us-east-1:1',
      'urn:aws:ecs:r:a:x',
      'arn::ecs:r:a:x',
      'arn:aws:ecs:r:a:',
    ]) {
      expect(parseArn(text)).toBeUndefined();
    }
  });
});
