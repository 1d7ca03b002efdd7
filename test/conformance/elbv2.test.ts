/**
 * ELBv2 through the real AWS SDK v3 client against a gateway on an ephemeral port: the service
 * runs on a virtual clock with the simulated load-balancer data plane, so health checks and
 * deregistration delays play out in virtual time while every request and answer crosses the
 * wire. Every implemented operation is called, and every error is checked for the name, message
 * and HTTP status the SDK sees.
 */
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeAccountLimitsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeSSLPoliciesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyRuleCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
  RemoveTagsCommand,
  SetRulePrioritiesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsError } from '../support/drydock.js';
import {
  ACCOUNT_ID,
  elbv2Scenario,
  REGION,
  SECOND,
  SUBNETS,
  VPC_ID,
  type Elbv2Scenario,
} from '../support/elbv2-scenario.js';
import type { TestGateway } from '../support/gateway-rig.js';
import { sdkConfig, startTestGateway } from '../support/gateway-rig.js';

let t: Elbv2Scenario;
let gateway: TestGateway;
let elb: ElasticLoadBalancingV2Client;

beforeEach(async () => {
  t = elbv2Scenario({ withSubnets: true });
  gateway = await startTestGateway({
    clock: t.clock,
    accountId: ACCOUNT_ID,
    region: REGION,
    seed: 7,
    services: { elbv2: t.service.operations },
  });
  elb = new ElasticLoadBalancingV2Client(sdkConfig(gateway.url, REGION));
});

afterEach(async () => {
  elb.destroy();
  await gateway.close();
  await t.close();
});

async function createAlb(name = 'front') {
  const { LoadBalancers } = await elb.send(
    new CreateLoadBalancerCommand({ Name: name, Subnets: SUBNETS.slice(0, 2), Tags: [{ Key: 'team', Value: 'web' }] }),
  );
  return LoadBalancers![0]!;
}

async function createTargetGroup(
  name = 'web',
  extra: Partial<ConstructorParameters<typeof CreateTargetGroupCommand>[0]> = {},
) {
  const { TargetGroups } = await elb.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: 'HTTP',
      Port: 8080,
      VpcId: VPC_ID,
      TargetType: 'ip',
      ...extra,
    }),
  );
  return TargetGroups![0]!;
}

async function expectError(promise: Promise<unknown>, name: string, message: string | RegExp, status = 400) {
  const error = await awsError(() => promise);
  expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual({ name, status });
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
}

describe('the issue-5 walkthrough through the SDK', () => {
  it('ALB, target group, listener, two targets: healthy, then one deregistered drains and is gone', async () => {
    const lb = await createAlb();
    expect(lb).toMatchObject({
      LoadBalancerName: 'front',
      Type: 'application',
      Scheme: 'internet-facing',
      State: { Code: 'provisioning' },
      VpcId: VPC_ID,
      IpAddressType: 'ipv4',
      CanonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
      AvailabilityZones: [
        { ZoneName: 'us-east-1a', SubnetId: SUBNETS[0] },
        { ZoneName: 'us-east-1b', SubnetId: SUBNETS[1] },
      ],
    });
    expect(lb.DNSName).toMatch(/^front-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    expect(lb.LoadBalancerArn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/front\/[0-9a-f]{16}$/,
    );
    expect(lb.CreatedTime).toBeInstanceOf(Date);

    const group = await createTargetGroup();
    expect(group).toMatchObject({
      TargetGroupName: 'web',
      Protocol: 'HTTP',
      Port: 8080,
      VpcId: VPC_ID,
      TargetType: 'ip',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: 'traffic-port',
      HealthCheckPath: '/',
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: '200' },
      HealthCheckEnabled: true,
      LoadBalancerArns: [],
    });
    const tg = group.TargetGroupArn!;

    const { Listeners } = await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }],
      }),
    );
    expect(Listeners![0]).toMatchObject({
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [
        {
          Type: 'forward',
          TargetGroupArn: tg,
          ForwardConfig: {
            TargetGroups: [{ TargetGroupArn: tg, Weight: 1 }],
            TargetGroupStickinessConfig: { Enabled: false },
          },
        },
      ],
    });
    await elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: tg,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '10' }],
      }),
    );
    await elb.send(
      new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: '127.1.0.1' }, { Id: '127.1.0.2' }] }),
    );
    const health = async (targets?: Array<{ Id: string; Port?: number }>) =>
      (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg, Targets: targets })))
        .TargetHealthDescriptions!;
    expect(await health()).toEqual([
      {
        Target: { Id: '127.1.0.1', Port: 8080 },
        HealthCheckPort: '8080',
        TargetHealth: {
          State: 'initial',
          Reason: 'Elb.RegistrationInProgress',
          Description: 'Target registration is in progress',
        },
      },
      {
        Target: { Id: '127.1.0.2', Port: 8080 },
        HealthCheckPort: '8080',
        TargetHealth: {
          State: 'initial',
          Reason: 'Elb.RegistrationInProgress',
          Description: 'Target registration is in progress',
        },
      },
    ]);
    await t.advanceBy(30 * SECOND);
    expect((await health()).map((entry) => entry.TargetHealth)).toEqual([{ State: 'healthy' }, { State: 'healthy' }]);
    const { LoadBalancers } = await elb.send(new DescribeLoadBalancersCommand({ Names: ['front'] }));
    expect(LoadBalancers![0]!.State).toEqual({ Code: 'active' });
    expect(
      (await elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).TargetGroups,
    ).toMatchObject([{ TargetGroupArn: tg, LoadBalancerArns: [lb.LoadBalancerArn] }]);

    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: '127.1.0.2' }] }));
    expect((await health([{ Id: '127.1.0.2' }]))[0]!.TargetHealth).toEqual({
      State: 'draining',
      Reason: 'Target.DeregistrationInProgress',
      Description: 'Target deregistration is in progress',
    });
    await t.advanceBy(10 * SECOND);
    expect((await health()).map((entry) => entry.Target!.Id)).toEqual(['127.1.0.1']);
    expect((await health([{ Id: '127.1.0.2', Port: 8080 }]))[0]!.TargetHealth).toEqual({
      State: 'unused',
      Reason: 'Target.NotRegistered',
      Description: 'Target is not registered to the target group',
    });
  });
});

describe('load balancers', () => {
  it('describe by ARN or name, paged; attributes; delete (again: still fine)', async () => {
    const a = await createAlb('alpha');
    const b = await createAlb('bravo');
    const first = await elb.send(new DescribeLoadBalancersCommand({ PageSize: 1 }));
    expect(first.LoadBalancers).toHaveLength(1);
    const second = await elb.send(new DescribeLoadBalancersCommand({ PageSize: 1, Marker: first.NextMarker }));
    expect([first.LoadBalancers![0]!.LoadBalancerName, second.LoadBalancers![0]!.LoadBalancerName].sort()).toEqual([
      'alpha',
      'bravo',
    ]);
    expect(second.NextMarker).toBeUndefined();
    expect(
      (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [b.LoadBalancerArn!] }))).LoadBalancers![0]!
        .LoadBalancerName,
    ).toBe('bravo');
    // CreateLoadBalancer with the same settings answers the same load balancer.
    expect((await createAlb('alpha')).LoadBalancerArn).toBe(a.LoadBalancerArn);

    const { Attributes } = await elb.send(
      new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: a.LoadBalancerArn }),
    );
    expect(Attributes).toEqual(
      expect.arrayContaining([
        { Key: 'deletion_protection.enabled', Value: 'false' },
        { Key: 'idle_timeout.timeout_seconds', Value: '60' },
        { Key: 'routing.http2.enabled', Value: 'true' },
      ]),
    );
    expect(
      (
        await elb.send(
          new ModifyLoadBalancerAttributesCommand({
            LoadBalancerArn: a.LoadBalancerArn,
            Attributes: [{ Key: 'deletion_protection.enabled', Value: 'true' }],
          }),
        )
      ).Attributes,
    ).toEqual(expect.arrayContaining([{ Key: 'deletion_protection.enabled', Value: 'true' }]));
    await expectError(
      elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: a.LoadBalancerArn })),
      'OperationNotPermittedException',
      `Load balancer '${a.LoadBalancerArn}' cannot be deleted because deletion protection is enabled`,
    );
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: b.LoadBalancerArn }));
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: b.LoadBalancerArn }));
    await expectError(
      elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [b.LoadBalancerArn!] })),
      'LoadBalancerNotFoundException',
      'One or more load balancers not found',
    );
  });

  it('errors: names, duplicates, subnets, attribute keys, unknown ARNs', async () => {
    const a = await createAlb('alpha');
    await expectError(
      elb.send(new DescribeLoadBalancersCommand({ Names: ['nope', 'alpha'] })),
      'LoadBalancerNotFoundException',
      "Load balancers '[nope]' not found",
    );
    await expectError(
      elb.send(new CreateLoadBalancerCommand({ Name: 'alpha', Subnets: SUBNETS.slice(1, 3) })),
      'DuplicateLoadBalancerNameException',
      "A load balancer with the same name 'alpha' exists, but with different settings",
    );
    await expectError(
      elb.send(new CreateLoadBalancerCommand({ Name: 'solo', Subnets: SUBNETS.slice(0, 1) })),
      'ValidationError',
      'At least two subnets in two different Availability Zones must be specified',
    );
    await expectError(
      elb.send(new CreateLoadBalancerCommand({ Name: 'ghost', Subnets: [SUBNETS[0]!, 'subnet-0000000000000000f'] })),
      'SubnetNotFoundException',
      "The subnet ID 'subnet-0000000000000000f' does not exist",
    );
    await expectError(
      elb.send(new CreateLoadBalancerCommand({ Name: 'bad_name', Subnets: SUBNETS.slice(0, 2) })),
      'ValidationError',
      "Load balancer name 'bad_name' can only contain characters that are alphanumeric characters or hyphens(-)",
    );
    await expectError(
      elb.send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: a.LoadBalancerArn,
          Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '0' }],
        }),
      ),
      'ValidationError',
      "idle_timeout.timeout_seconds must be an integer between 1 and 4000, got '0'",
    );
    await expectError(
      elb.send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: a.LoadBalancerArn,
          Attributes: [{ Key: 'made.up', Value: '1' }],
        }),
      ),
      'ValidationError',
      "Load balancer attribute key 'made.up' is not recognized",
    );
    await expectError(
      elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: 'lb-1' })),
      'ValidationError',
      "'lb-1' is not a valid load balancer ARN",
    );
  });

  it('network load balancers: one subnet is enough; NLB DNS names', async () => {
    const { LoadBalancers } = await elb.send(
      new CreateLoadBalancerCommand({
        Name: 'db',
        Type: 'network',
        Scheme: 'internal',
        SubnetMappings: [{ SubnetId: SUBNETS[2] }],
      }),
    );
    expect(LoadBalancers![0]).toMatchObject({
      Type: 'network',
      Scheme: 'internal',
      CanonicalHostedZoneId: 'Z26RNL4JYFTOTI',
    });
    expect(LoadBalancers![0]!.DNSName).toMatch(/^internal-db-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/);
  });
});

describe('target groups', () => {
  it('describe by names, ARNs; modify health checks; attributes; delete', async () => {
    const group = await createTargetGroup('web');
    const tg = group.TargetGroupArn!;
    expect((await createTargetGroup('web')).TargetGroupArn).toBe(tg);
    expect((await elb.send(new DescribeTargetGroupsCommand({ Names: ['web'] }))).TargetGroups![0]!.TargetGroupArn).toBe(
      tg,
    );
    expect((await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tg] }))).TargetGroups).toHaveLength(1);
    const modified = await elb.send(
      new ModifyTargetGroupCommand({
        TargetGroupArn: tg,
        HealthCheckPath: '/health',
        HealthCheckIntervalSeconds: 10,
        Matcher: { HttpCode: '200-299' },
      }),
    );
    expect(modified.TargetGroups![0]).toMatchObject({
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 10,
      Matcher: { HttpCode: '200-299' },
    });

    const { Attributes } = await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg }));
    expect(Attributes).toEqual(
      expect.arrayContaining([
        { Key: 'deregistration_delay.timeout_seconds', Value: '300' },
        { Key: 'stickiness.enabled', Value: 'false' },
        { Key: 'stickiness.type', Value: 'lb_cookie' },
        { Key: 'slow_start.duration_seconds', Value: '0' },
        { Key: 'load_balancing.algorithm.type', Value: 'round_robin' },
      ]),
    );
    const tcp = await createTargetGroup('tcp', { Protocol: 'TCP', Port: 5432 });
    expect(tcp).toMatchObject({ HealthCheckProtocol: 'TCP', HealthCheckTimeoutSeconds: 10 });
    expect(tcp.HealthCheckPath).toBeUndefined();
    expect(
      (await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tcp.TargetGroupArn }))).Attributes,
    ).toEqual(
      expect.arrayContaining([
        { Key: 'deregistration_delay.connection_termination.enabled', Value: 'false' },
        { Key: 'preserve_client_ip.enabled', Value: 'false' },
      ]),
    );
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg }));
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg }));
    await expectError(
      elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tg] })),
      'TargetGroupNotFoundException',
      'One or more target groups not found',
    );
  });

  it('errors: duplicates, health-check rules, attribute ranges, in use, model validation', async () => {
    const group = await createTargetGroup('web');
    const tg = group.TargetGroupArn!;
    await expectError(
      createTargetGroup('web', { Port: 9090 }),
      'DuplicateTargetGroupNameException',
      "A target group with the same name 'web' exists, but with different settings",
    );
    await expectError(
      createTargetGroup('tight', { HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 5 }),
      'ValidationError',
      'Health check interval must be greater than the timeout.',
    );
    await expectError(
      createTargetGroup('slow', { HealthCheckIntervalSeconds: 600 }),
      'ValidationError',
      /Value '600' at 'healthCheckIntervalSeconds' failed to satisfy constraint: Member must have value less than or equal to 300/,
    );
    await expectError(
      createTargetGroup('lambda', { TargetType: 'lambda' }),
      'ValidationError',
      "drydock supports target types 'instance' and 'ip', not 'lambda'",
    );
    await expectError(
      elb.send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: tg,
          Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '3601' }],
        }),
      ),
      'ValidationError',
      "deregistration_delay.timeout_seconds must be an integer between 0 and 3600, got '3601'",
    );
    await expectError(
      elb.send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: tg,
          Attributes: [{ Key: 'slow_start.duration_seconds', Value: '10' }],
        }),
      ),
      'ValidationError',
      "slow_start.duration_seconds must be an integer between 30 and 900 (or 0 to turn it off), got '10'",
    );
    await expectError(
      elb.send(new DescribeTargetGroupsCommand({ Names: ['nope'] })),
      'TargetGroupNotFoundException',
      'One or more target groups not found',
    );
    await expectError(
      elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: ['ec2-spot-converter'] })),
      'ValidationError',
      "'ec2-spot-converter' is not a valid target group ARN",
    );
    const lb = await createAlb();
    await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }],
      }),
    );
    await expectError(
      elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg })),
      'ResourceInUseException',
      `Target group '${tg}' is currently in use by a listener or a rule`,
    );
  });
});

describe('targets', () => {
  it('errors: instance ids, instances that are not running, addresses, unknown groups', async () => {
    const instances = await createTargetGroup('fleet', { TargetType: 'instance', Port: 80 });
    const running = t.instances.run();
    const stopped = t.instances.run();
    t.instances.setState(stopped, 'stopped');
    await elb.send(
      new RegisterTargetsCommand({ TargetGroupArn: instances.TargetGroupArn, Targets: [{ Id: running }] }),
    );
    await expectError(
      elb.send(new RegisterTargetsCommand({ TargetGroupArn: instances.TargetGroupArn, Targets: [{ Id: stopped }] })),
      'InvalidTargetException',
      `The following targets are not in a running state and cannot be registered: '${stopped}'`,
    );
    await expectError(
      elb.send(new RegisterTargetsCommand({ TargetGroupArn: instances.TargetGroupArn, Targets: [{ Id: '10.0.0.1' }] })),
      'ValidationError',
      "Instance ID '10.0.0.1' is not valid",
    );
    await expectError(
      elb.send(
        new RegisterTargetsCommand({
          TargetGroupArn: instances.TargetGroupArn,
          Targets: [{ Id: 'i-0123456789abcdef0' }],
        }),
      ),
      'InvalidTargetException',
      "The following targets are not valid instances: 'i-0123456789abcdef0'",
    );
    const ips = await createTargetGroup('ips');
    await expectError(
      elb.send(new RegisterTargetsCommand({ TargetGroupArn: ips.TargetGroupArn, Targets: [{ Id: '8.8.8.8' }] })),
      'InvalidTargetException',
      "The IP address '8.8.8.8' is not within a private (RFC 1918), shared (RFC 6598) or loopback address range",
    );
    await elb.send(
      new RegisterTargetsCommand({
        TargetGroupArn: ips.TargetGroupArn,
        Targets: [{ Id: '10.1.2.3', Port: 9000 }, { Id: '127.0.0.5' }],
      }),
    );
    // Deregistering what is not registered succeeds (C.4).
    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: ips.TargetGroupArn, Targets: [{ Id: '10.9.9.9' }] }));
    const described = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: ips.TargetGroupArn }));
    expect(
      described.TargetHealthDescriptions!.map((entry) => [
        entry.Target!.Id,
        entry.Target!.Port,
        entry.TargetHealth!.Reason,
      ]),
    ).toEqual([
      ['10.1.2.3', 9000, 'Target.NotInUse'],
      ['127.0.0.5', 8080, 'Target.NotInUse'],
    ]);
    await expectError(
      elb.send(
        new RegisterTargetsCommand({
          TargetGroupArn: ips.TargetGroupArn!.replace(/[0-9a-f]{16}$/, '0000000000000000'),
          Targets: [{ Id: '10.0.0.1' }],
        }),
      ),
      'TargetGroupNotFoundException',
      'One or more target groups not found',
    );
  });
});

describe('listeners and rules', () => {
  it('listeners: describe, modify, delete; rules: create, describe, modify, priorities, delete', async () => {
    const lb = await createAlb();
    const blue = (await createTargetGroup('blue')).TargetGroupArn!;
    const green = (await createTargetGroup('green')).TargetGroupArn!;
    const listener = (
      await elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: blue }],
        }),
      )
    ).Listeners![0]!.ListenerArn!;
    expect(
      (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners,
    ).toHaveLength(1);
    const weighted = await elb.send(
      new ModifyListenerCommand({
        ListenerArn: listener,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: blue, Weight: 90 },
                { TargetGroupArn: green, Weight: 10 },
              ],
              TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 },
            },
          },
        ],
      }),
    );
    expect(weighted.Listeners![0]!.DefaultActions).toEqual([
      {
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: blue, Weight: 90 },
            { TargetGroupArn: green, Weight: 10 },
          ],
          TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 },
        },
      },
    ]);

    const rule = (
      await elb.send(
        new CreateRuleCommand({
          ListenerArn: listener,
          Priority: 10,
          Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }],
          Actions: [{ Type: 'forward', TargetGroupArn: green }],
          Tags: [{ Key: 'k', Value: 'v' }],
        }),
      )
    ).Rules![0]!;
    expect(rule).toMatchObject({
      Priority: '10',
      IsDefault: false,
      Conditions: [{ Field: 'path-pattern', Values: ['/api/*'], PathPatternConfig: { Values: ['/api/*'] } }],
    });
    const second = (
      await elb.send(
        new CreateRuleCommand({
          ListenerArn: listener,
          Priority: 20,
          Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['yes'] } }],
          Actions: [
            {
              Type: 'fixed-response',
              FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'down' },
            },
          ],
        }),
      )
    ).Rules![0]!;
    const modified = await elb.send(
      new ModifyRuleCommand({
        RuleArn: rule.RuleArn,
        Conditions: [{ Field: 'host-header', Values: ['api.example.com'] }],
      }),
    );
    expect(modified.Rules![0]!.Conditions).toEqual([
      { Field: 'host-header', Values: ['api.example.com'], HostHeaderConfig: { Values: ['api.example.com'] } },
    ]);
    const swapped = await elb.send(
      new SetRulePrioritiesCommand({
        RulePriorities: [
          { RuleArn: rule.RuleArn, Priority: 20 },
          { RuleArn: second.RuleArn, Priority: 10 },
        ],
      }),
    );
    expect(swapped.Rules!.map((entry) => [entry.RuleArn, entry.Priority])).toEqual([
      [second.RuleArn, '10'],
      [rule.RuleArn, '20'],
    ]);
    const rules = (await elb.send(new DescribeRulesCommand({ ListenerArn: listener }))).Rules!;
    expect(rules.map((entry) => entry.Priority)).toEqual(['10', '20', 'default']);
    const defaultRule = rules[2]!;
    expect(defaultRule).toMatchObject({ IsDefault: true, Conditions: [] });
    expect((await elb.send(new DescribeRulesCommand({ RuleArns: [defaultRule.RuleArn!] }))).Rules![0]!.IsDefault).toBe(
      true,
    );
    await expectError(
      elb.send(new DeleteRuleCommand({ RuleArn: defaultRule.RuleArn })),
      'OperationNotPermittedException',
      'The default rule of a listener cannot be deleted',
    );
    await elb.send(new DeleteRuleCommand({ RuleArn: second.RuleArn }));
    await expectError(
      elb.send(new DescribeRulesCommand({ RuleArns: [second.RuleArn!] })),
      'RuleNotFoundException',
      'One or more rules not found',
    );
    await elb.send(new DeleteListenerCommand({ ListenerArn: listener }));
    await expectError(
      elb.send(new DescribeListenersCommand({ ListenerArns: [listener] })),
      'ListenerNotFoundException',
      'One or more listeners not found',
    );
    // A listener's rules go with it.
    expect((await awsError(() => elb.send(new DescribeRulesCommand({ RuleArns: [rule.RuleArn!] })))).name).toBe(
      'RuleNotFoundException',
    );
  });

  it('errors: duplicate listener, protocols, priorities, target groups on two load balancers', async () => {
    const lb = await createAlb();
    const other = await createAlb('other');
    const blue = (await createTargetGroup('blue')).TargetGroupArn!;
    const tcp = (await createTargetGroup('tcp', { Protocol: 'TCP' })).TargetGroupArn!;
    const forward = (arn: string) => [{ Type: 'forward' as const, TargetGroupArn: arn }];
    const listener = (
      await elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: forward(blue),
        }),
      )
    ).Listeners![0]!.ListenerArn!;
    await expectError(
      elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }],
        }),
      ),
      'DuplicateListenerException',
      `A listener already exists on this port for this load balancer '${lb.LoadBalancerArn}'`,
    );
    await expectError(
      elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: 'HTTPS',
          Port: 443,
          DefaultActions: forward(blue),
        }),
      ),
      'UnsupportedProtocolException',
      /HTTPS needs certificates/,
    );
    await expectError(
      elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: 'HTTP',
          Port: 81,
          DefaultActions: forward(tcp),
        }),
      ),
      'IncompatibleProtocolsException',
      "Listener protocol 'HTTP' is not supported with a target group with the protocol 'TCP'",
    );
    await expectError(
      elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: 'HTTP',
          Port: 82,
          DefaultActions: forward(blue.replace(/[0-9a-f]{16}$/, '0000000000000000')),
        }),
      ),
      'TargetGroupNotFoundException',
      `Target groups '${blue.replace(/[0-9a-f]{16}$/, '0000000000000000')}' not found`,
    );
    await expectError(
      elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: other.LoadBalancerArn,
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: forward(blue),
        }),
      ),
      'TargetGroupAssociationLimitException',
      `The following target groups cannot be associated with more than one load balancer: '${blue}'`,
    );
    const second = (
      await elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: 'HTTP',
          Port: 8080,
          DefaultActions: forward(blue),
        }),
      )
    ).Listeners![0]!.ListenerArn!;
    await expectError(
      elb.send(new ModifyListenerCommand({ ListenerArn: second, Port: 80 })),
      'ValidationError',
      "Listener port '80' is already in use",
    );
    const rule = {
      ListenerArn: listener,
      Conditions: [{ Field: 'path-pattern', Values: ['/a'] }],
      Actions: forward(blue),
    };
    await elb.send(new CreateRuleCommand({ ...rule, Priority: 1 }));
    await expectError(
      elb.send(new CreateRuleCommand({ ...rule, Priority: 1 })),
      'PriorityInUseException',
      "Priority '1' is currently in use",
    );
    await expectError(
      elb.send(
        new CreateRuleCommand({
          ...rule,
          Priority: 2,
          Conditions: [{ Field: 'path-pattern', Values: ['/a', '/b', '/c', '/d', '/e', '/f'] }],
        }),
      ),
      'ValidationError',
      "A rule can have at most '5' condition values",
    );
    await expectError(
      elb.send(new CreateRuleCommand({ ...rule, Priority: 2, Conditions: [{ Field: 'cookie', Values: ['x'] }] })),
      'ValidationError',
      /^Condition field 'cookie' must be one of/,
    );
    await expectError(
      elb.send(new DescribeListenersCommand({})),
      'ValidationError',
      'You must specify either listener ARNs or a load balancer ARN',
    );
  });
});

describe('tags, limits and what drydock does not implement', () => {
  it('AddTags, RemoveTags, DescribeTags across resource kinds', async () => {
    const lb = await createAlb();
    const tg = (await createTargetGroup()).TargetGroupArn!;
    await elb.send(
      new AddTagsCommand({ ResourceArns: [lb.LoadBalancerArn!, tg], Tags: [{ Key: 'env', Value: 'dev' }] }),
    );
    await elb.send(new RemoveTagsCommand({ ResourceArns: [lb.LoadBalancerArn!], TagKeys: ['team'] }));
    expect(
      (await elb.send(new DescribeTagsCommand({ ResourceArns: [lb.LoadBalancerArn!, tg] }))).TagDescriptions,
    ).toEqual([
      { ResourceArn: lb.LoadBalancerArn, Tags: [{ Key: 'env', Value: 'dev' }] },
      { ResourceArn: tg, Tags: [{ Key: 'env', Value: 'dev' }] },
    ]);
    await expectError(
      elb.send(
        new AddTagsCommand({
          ResourceArns: [tg],
          Tags: [
            { Key: 'a', Value: '1' },
            { Key: 'a', Value: '2' },
          ],
        }),
      ),
      'DuplicateTagKeysException',
      "Tag key 'a' is specified more than once",
    );
    await expectError(
      elb.send(new DescribeTagsCommand({ ResourceArns: [tg.replace(/[0-9a-f]{16}$/, '0000000000000000')] })),
      'TargetGroupNotFoundException',
      'One or more target groups not found',
    );
  });

  it('DescribeAccountLimits; an unimplemented operation answers NotImplemented (501)', async () => {
    const { Limits } = await elb.send(new DescribeAccountLimitsCommand({}));
    expect(Limits).toEqual(expect.arrayContaining([{ Name: 'target-groups', Max: '3000' }]));
    const error = await awsError(() => elb.send(new DescribeSSLPoliciesCommand({})));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['NotImplemented', 501]);
  });
});
