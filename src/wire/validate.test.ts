/**
 * Input validation against the real botocore models, checking the exact ValidationException text
 * AWS's front end produces: member paths (`tags.1.member.key`), constraint wording, value echo.
 */
import { describe, expect, it } from 'vitest';
import { loadServiceModel, type ServiceId, type ServiceModel } from './model.js';
import { compilePattern } from './pattern.js';
import { formatViolations, MAX_VIOLATIONS, validateInput, type Violation } from './validate.js';

const XML_STRING = '[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\r\\n\\t]*';
const FUNCTION_NAME =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?';
const ECS_TAG = '([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)';

function validate(service: ServiceId, operation: string, input: Record<string, unknown>): Violation[] {
  const model = loadServiceModel(service);
  const op = model.operations[operation];
  if (!op) throw new Error(`no operation ${operation}`);
  return validateInput(model, op, input);
}

interface Case {
  name: string;
  service: ServiceId;
  operation: string;
  input: Record<string, unknown>;
  /** The ValidationException message, or undefined when the input is valid. */
  message?: string;
}

const cases: Case[] = [
  // --- EC2 Auto Scaling (awsQuery) ---
  {
    name: 'PutLifecycleHook: a complete input is valid',
    service: 'autoscaling',
    operation: 'PutLifecycleHook',
    input: {
      AutoScalingGroupName: 'web-asg',
      LifecycleHookName: 'drain/on-terminate',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      HeartbeatTimeout: 300,
      NotificationMetadata: '{"cluster":"prod"}',
    },
  },
  {
    name: 'PutLifecycleHook: both required names missing',
    service: 'autoscaling',
    operation: 'PutLifecycleHook',
    input: { LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING' },
    message:
      "2 validation errors detected: Value null at 'autoScalingGroupName' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'lifecycleHookName' failed to satisfy constraint: Member must not be null",
  },
  {
    name: 'PutLifecycleHook: hook name outside its pattern',
    service: 'autoscaling',
    operation: 'PutLifecycleHook',
    input: { AutoScalingGroupName: 'web-asg', LifecycleHookName: 'drain hook!' },
    message:
      "1 validation error detected: Value 'drain hook!' at 'lifecycleHookName' failed to satisfy constraint: " +
      'Member must satisfy regular expression pattern: [A-Za-z0-9\\-_\\/]+',
  },
  {
    name: 'PutLifecycleHook: empty and too long names',
    service: 'autoscaling',
    operation: 'PutLifecycleHook',
    input: { AutoScalingGroupName: '', LifecycleHookName: 'h'.repeat(256) },
    message:
      "2 validation errors detected: Value '' at 'autoScalingGroupName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
      `Value '${'h'.repeat(256)}' at 'lifecycleHookName' failed to satisfy constraint: Member must have length less than or equal to 255`,
  },
  {
    name: 'PutLifecycleHook: lengths count code points, not UTF-16 units (255 emoji fit in 255)',
    service: 'autoscaling',
    operation: 'PutLifecycleHook',
    input: { AutoScalingGroupName: 'a', LifecycleHookName: 'h', NotificationTargetARN: '🚢'.repeat(255) },
  },
  {
    name: 'PutLifecycleHook: 256 emoji do not fit in 255',
    service: 'autoscaling',
    operation: 'PutLifecycleHook',
    input: { AutoScalingGroupName: 'a', LifecycleHookName: 'h', NotificationTargetARN: '🚢'.repeat(256) },
    message:
      `1 validation error detected: Value '${'🚢'.repeat(256)}' at 'notificationTargetARN' failed to satisfy constraint: ` +
      'Member must have length less than or equal to 255',
  },
  {
    name: 'PutLifecycleHook: empty metadata breaks both its pattern and its minimum, pattern first',
    service: 'autoscaling',
    operation: 'PutLifecycleHook',
    input: { AutoScalingGroupName: 'a', LifecycleHookName: 'h', NotificationMetadata: '' },
    message:
      "2 validation errors detected: Value '' at 'notificationMetadata' failed to satisfy constraint: " +
      'Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007e]+; ' +
      "Value '' at 'notificationMetadata' failed to satisfy constraint: Member must have length greater than or equal to 1",
  },
  {
    name: 'SetDesiredCapacity: a cheap valid call',
    service: 'autoscaling',
    operation: 'SetDesiredCapacity',
    input: { AutoScalingGroupName: 'web-asg', DesiredCapacity: 3, HonorCooldown: true },
  },
  {
    name: 'SetDesiredCapacity: capacity missing',
    service: 'autoscaling',
    operation: 'SetDesiredCapacity',
    input: { AutoScalingGroupName: 'web-asg' },
    message:
      "1 validation error detected: Value null at 'desiredCapacity' failed to satisfy constraint: Member must not be null",
  },
  {
    name: 'CreateAutoScalingGroup: sizes missing, tag key missing inside a list item',
    service: 'autoscaling',
    operation: 'CreateAutoScalingGroup',
    input: { AutoScalingGroupName: 'web-asg', Tags: [{ Key: 'team', Value: 'a' }, { Value: 'b' }] },
    message:
      "3 validation errors detected: Value null at 'maxSize' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'minSize' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'tags.2.member.key' failed to satisfy constraint: Member must not be null",
  },
  {
    name: 'CreateAutoScalingGroup: nested ranges, enum, lower-cased acronym path',
    service: 'autoscaling',
    operation: 'CreateAutoScalingGroup',
    input: {
      AutoScalingGroupName: 'web-asg',
      MinSize: 0,
      MaxSize: 4,
      DeletionProtection: 'sometimes',
      InstanceMaintenancePolicy: { MinHealthyPercentage: -2, MaxHealthyPercentage: 201 },
      LaunchTemplate: { LaunchTemplateName: 'lt' },
      VPCZoneIdentifier: '',
    },
    message:
      "5 validation errors detected: Value 'sometimes' at 'deletionProtection' failed to satisfy constraint: " +
      'Member must satisfy enum value set: [none, prevent-force-deletion, prevent-all-deletion]; ' +
      "Value '201' at 'instanceMaintenancePolicy.maxHealthyPercentage' failed to satisfy constraint: Member must have value less than or equal to 200; " +
      "Value '-2' at 'instanceMaintenancePolicy.minHealthyPercentage' failed to satisfy constraint: Member must have value greater than or equal to -1; " +
      "Value 'lt' at 'launchTemplate.launchTemplateName' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
      "Value '' at 'vPCZoneIdentifier' failed to satisfy constraint: Member must have length greater than or equal to 1",
  },
  {
    name: 'CreateAutoScalingGroup: a bad item in a list of strings is reported once, at the list',
    service: 'autoscaling',
    operation: 'CreateAutoScalingGroup',
    input: { AutoScalingGroupName: 'a', MinSize: 0, MaxSize: 1, AvailabilityZones: ['us-east-1a', '', ''] },
    message:
      "1 validation error detected: Value '[us-east-1a, , ]' at 'availabilityZones' failed to satisfy constraint: " +
      'Member must satisfy constraint: [Member must have length less than or equal to 255, ' +
      `Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ${XML_STRING}]`,
  },
  {
    name: 'CreateAutoScalingGroup: lifecycle hook specification without its transition',
    service: 'autoscaling',
    operation: 'CreateAutoScalingGroup',
    input: {
      AutoScalingGroupName: 'a',
      MinSize: 0,
      MaxSize: 1,
      LifecycleHookSpecificationList: [{ LifecycleHookName: 'h' }],
    },
    message:
      "1 validation error detected: Value null at 'lifecycleHookSpecificationList.1.member.lifecycleTransition' " +
      'failed to satisfy constraint: Member must not be null',
  },

  // --- ECS (awsJson 1.1), nested container definitions ---
  {
    name: 'RegisterTaskDefinition: a realistic valid input',
    service: 'ecs',
    operation: 'RegisterTaskDefinition',
    input: {
      family: 'web',
      networkMode: 'bridge',
      requiresCompatibilities: ['EC2'],
      containerDefinitions: [
        {
          name: 'app',
          image: 'nginx:1.27',
          memory: 256,
          portMappings: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }],
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } },
          healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'] },
        },
      ],
      tags: [{ key: 'ключ', value: 'значение 1' }],
    },
  },
  {
    name: 'RegisterTaskDefinition: violations deep inside container definitions',
    service: 'ecs',
    operation: 'RegisterTaskDefinition',
    input: {
      family: 'web',
      containerDefinitions: [
        { name: 'app', logConfiguration: { options: {} }, firelensConfiguration: { type: 'vector' } },
        { name: 'sidecar', healthCheck: {}, ulimits: [{ name: 'nofile', softLimit: 1024 }] },
      ],
    },
    message:
      "4 validation errors detected: Value 'vector' at 'containerDefinitions.1.member.firelensConfiguration.type' failed to satisfy constraint: " +
      'Member must satisfy enum value set: [fluentd, fluentbit]; ' +
      "Value null at 'containerDefinitions.1.member.logConfiguration.logDriver' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'containerDefinitions.2.member.healthCheck.command' failed to satisfy constraint: Member must not be null; " +
      "Value null at 'containerDefinitions.2.member.ulimits.1.member.hardLimit' failed to satisfy constraint: Member must not be null",
  },
  {
    name: 'RegisterTaskDefinition: containerDefinitions missing, enum list item, \\p{L} tag pattern',
    service: 'ecs',
    operation: 'RegisterTaskDefinition',
    input: { family: 'web', requiresCompatibilities: ['EC2', 'LAMBDA'], tags: [{ key: 'bad#key', value: '' }] },
    message:
      "3 validation errors detected: Value null at 'containerDefinitions' failed to satisfy constraint: Member must not be null; " +
      "Value '[EC2, LAMBDA]' at 'requiresCompatibilities' failed to satisfy constraint: Member must satisfy constraint: " +
      '[Member must satisfy enum value set: [EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES]]; ' +
      `Value 'bad#key' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ECS_TAG}`,
  },

  // --- ELBv2 (awsQuery) ---
  {
    name: 'ModifyTargetGroupAttributes: valid',
    service: 'elbv2',
    operation: 'ModifyTargetGroupAttributes',
    input: {
      TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/abc',
      Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
    },
  },
  {
    name: 'ModifyTargetGroupAttributes: arn missing, attribute key breaks pattern and length',
    service: 'elbv2',
    operation: 'ModifyTargetGroupAttributes',
    input: { Attributes: [{ Key: 'ok.key', Value: '1' }, { Key: 'bad key', Value: '1' }, { Key: 'k'.repeat(257) }] },
    message:
      "3 validation errors detected: Value 'bad key' at 'attributes.2.member.key' failed to satisfy constraint: " +
      'Member must satisfy regular expression pattern: ^[a-zA-Z0-9._]+$; ' +
      `Value '${'k'.repeat(257)}' at 'attributes.3.member.key' failed to satisfy constraint: Member must have length less than or equal to 256; ` +
      "Value null at 'targetGroupArn' failed to satisfy constraint: Member must not be null",
  },

  // --- EventBridge (awsJson 1.1) ---
  {
    name: 'PutRule: valid',
    service: 'events',
    operation: 'PutRule',
    input: { Name: 'asg-terminate', EventPattern: '{"source":["aws.autoscaling"]}', State: 'ENABLED' },
  },
  {
    name: 'PutRule: name pattern, state enum, description length, tag value missing',
    service: 'events',
    operation: 'PutRule',
    input: { Name: 'asg terminate', State: 'ON', Description: 'd'.repeat(513), Tags: [{ Key: 'team' }] },
    message:
      `4 validation errors detected: Value '${'d'.repeat(513)}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 512; ` +
      "Value 'asg terminate' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+; " +
      "Value 'ON' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]; " +
      "Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null",
  },
  {
    name: 'PutRule: name missing',
    service: 'events',
    operation: 'PutRule',
    input: {},
    message: "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
  },

  // --- Lambda (restJson) ---
  {
    name: 'Invoke: valid, with a qualified name and a payload',
    service: 'lambda',
    operation: 'Invoke',
    input: { FunctionName: 'my-fn:live', InvocationType: 'Event', Payload: new TextEncoder().encode('{}') },
  },
  {
    name: 'Invoke: empty function name, unknown invocation type, long qualifier',
    service: 'lambda',
    operation: 'Invoke',
    input: { FunctionName: '', InvocationType: 'Async', Qualifier: 'q'.repeat(129) },
    message:
      "4 validation errors detected: Value '' at 'functionName' failed to satisfy constraint: " +
      `Member must satisfy regular expression pattern: ${FUNCTION_NAME}; ` +
      "Value '' at 'functionName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
      "Value 'Async' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]; " +
      `Value '${'q'.repeat(129)}' at 'qualifier' failed to satisfy constraint: Member must have length less than or equal to 128`,
  },
  {
    name: 'CreateAlias: map values out of a double range, printed as Java prints them',
    service: 'lambda',
    operation: 'CreateAlias',
    input: {
      FunctionName: 'fn',
      Name: 'live',
      FunctionVersion: '1',
      RoutingConfig: { AdditionalVersionWeights: { '2': 1.5 } },
    },
    message:
      "1 validation error detected: Value '{2=1.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: " +
      'Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]',
  },
  {
    name: 'CreateAlias: map keys outside their pattern',
    service: 'lambda',
    operation: 'CreateAlias',
    input: {
      FunctionName: 'fn',
      Name: 'live',
      FunctionVersion: '1',
      RoutingConfig: { AdditionalVersionWeights: { v2: 0.5 } },
    },
    message:
      "1 validation error detected: Value '{v2=0.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: " +
      'Map keys must satisfy constraint: [Member must have length less than or equal to 1024, ' +
      'Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]',
  },
  {
    name: 'CreateFunction: values of sensitive shapes are not echoed',
    service: 'lambda',
    operation: 'CreateFunction',
    input: {
      FunctionName: 'fn',
      Role: 'arn:aws:iam::123456789012:role/r',
      Code: { ZipFile: new Uint8Array([1]) },
      Environment: { Variables: { _SECRET: 'hunter2' } },
    },
    message:
      "1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: " +
      'Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]',
  },
];

describe('validateInput against the AWS models', () => {
  it.each(cases)('$name', ({ service, operation, input, message }) => {
    const violations = validate(service, operation, input);
    if (message === undefined) expect(violations).toEqual([]);
    else expect(formatViolations(violations)).toBe(message);
  });

  it('reports structured violations: path, value, constraint, kind', () => {
    const violations = validate('autoscaling', 'CreateAutoScalingGroup', {
      AutoScalingGroupName: 'a',
      MaxSize: 1,
      Tags: [{ Key: '' }],
      InstanceMaintenancePolicy: { MinHealthyPercentage: 500 },
      AvailabilityZones: ['x'.repeat(300)],
    });
    expect(violations).toEqual([
      {
        path: 'availabilityZones',
        value: ['x'.repeat(300)],
        constraint: expect.stringMatching(/^Member must satisfy constraint: \[Member must have length less than/),
        kind: 'length',
      },
      {
        path: 'instanceMaintenancePolicy.minHealthyPercentage',
        value: 500,
        constraint: 'Member must have value less than or equal to 100',
        kind: 'range',
      },
      { path: 'minSize', value: null, constraint: 'Member must not be null', kind: 'required' },
      {
        path: 'tags.1.member.key',
        value: '',
        constraint: 'Member must have length greater than or equal to 1',
        kind: 'length',
      },
    ]);
  });

  it(`stops at ${MAX_VIOLATIONS} violations`, () => {
    const containerDefinitions = Array.from({ length: 15 }, (_, i) => ({ name: `c${i}`, logConfiguration: {} }));
    const violations = validate('ecs', 'RegisterTaskDefinition', { family: 'web', containerDefinitions });
    expect(violations).toHaveLength(MAX_VIOLATIONS);
    expect(violations[9]!.path).toBe('containerDefinitions.10.member.logConfiguration.logDriver');
    expect(formatViolations(violations)).toMatch(/^10 validation errors detected: /);
  });

  it('echoes a list of structures the way Java prints it', () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    const message = formatViolations(
      validate('ecs', 'RegisterTaskDefinition', { family: 'web', containerDefinitions: [{ name: 'a' }], tags }),
    );
    expect(message).toMatch(/^1 validation error detected: Value '\[\{key=k0, value=v\}, \{key=k1, value=v\}, /);
    expect(message).toMatch(
      /\{key=k50, value=v\}\]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/,
    );
  });

  it('costs about a microsecond for a cheap call', () => {
    const input = { AutoScalingGroupName: 'web-asg', DesiredCapacity: 3 };
    for (let i = 0; i < 1000; i++) validate('autoscaling', 'SetDesiredCapacity', input);
    const model = loadServiceModel('autoscaling');
    const op = model.operations['SetDesiredCapacity']!;
    const started = performance.now();
    for (let i = 0; i < 20_000; i++) validateInput(model, op, input);
    const microseconds = ((performance.now() - started) / 20_000) * 1000;
    expect(microseconds).toBeLessThan(20);
  });
});

// A model written for the edge cases the AWS models do not happen to have.
const synthetic: ServiceModel = {
  metadata: {
    apiVersion: '2026-01-01',
    endpointPrefix: 'synthetic',
    protocol: 'json',
    serviceId: 'Synthetic',
    serviceFullName: 'Synthetic',
  },
  operations: {
    Put: { name: 'Put', http: { method: 'POST', requestUri: '/' }, input: { shape: 'PutInput' } },
  },
  shapes: {
    PutInput: {
      type: 'structure',
      required: ['Name'],
      members: {
        Name: { shape: 'JavaOnlyName' },
        Data: { shape: 'Data' },
        Secret: { shape: 'Secret' },
        Child: { shape: 'PutInput' },
        Loose: { shape: 'Loose' },
      },
    },
    // A possessive quantifier: Java accepts it, JavaScript cannot compile it.
    JavaOnlyName: { type: 'string', pattern: '[a-z]++', max: 5 },
    Data: { type: 'blob', min: 1, max: 4 },
    Secret: { type: 'string', min: 8, sensitive: true },
    Loose: { type: 'structure', members: { Note: { shape: 'Note' } } },
    Note: { type: 'string' },
  },
};

describe('validateInput edge cases', () => {
  const put = synthetic.operations['Put']!;

  it('skips a pattern JavaScript cannot compile and still checks the rest', () => {
    expect(compilePattern('[a-z]++')).toBeNull();
    expect(validateInput(synthetic, put, { Name: 'ANY THING' })).toEqual([
      {
        path: 'name',
        value: 'ANY THING',
        constraint: 'Member must have length less than or equal to 5',
        kind: 'length',
      },
    ]);
  });

  it('counts blob length in bytes and prints a blob as Java does', () => {
    const violations = validateInput(synthetic, put, { Name: 'a', Data: new Uint8Array(5) });
    expect(formatViolations(violations)).toBe(
      "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=5 cap=5]' at 'data' failed to satisfy constraint: " +
        'Member must have length less than or equal to 4',
    );
    expect(validateInput(synthetic, put, { Name: 'a', Data: new Uint8Array(4) })).toEqual([]);
  });

  it('hides the value of a sensitive member', () => {
    expect(formatViolations(validateInput(synthetic, put, { Name: 'a', Secret: 'short' }))).toBe(
      "1 validation error detected: Value at 'secret' failed to satisfy constraint: Member must have length greater than or equal to 8",
    );
  });

  it('follows recursive shapes', () => {
    expect(formatViolations(validateInput(synthetic, put, { Name: 'a', Child: { Name: 'b', Child: {} } }))).toBe(
      "1 validation error detected: Value null at 'child.child.name' failed to satisfy constraint: Member must not be null",
    );
  });

  it('ignores values of the wrong type instead of throwing', () => {
    expect(validateInput(synthetic, put, { Name: 42, Data: 7, Child: 'x', Loose: [] })).toEqual([]);
  });
});
