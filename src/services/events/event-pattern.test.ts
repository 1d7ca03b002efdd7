/**
 * The event pattern language of E.2, from a table: patterns that match, patterns that do not,
 * and patterns EventBridge refuses (with event-ruler's reason). Most cases are the examples of
 * the EventBridge user guide (`eb-event-patterns`, `-arrays`, `-null-values`,
 * `-content-based-filtering`, `eb-create-pattern-operators`) and of the event-ruler README.
 */
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../kernel/service-error.js';
import { parseJson } from './json-text.js';
import { compileEventPattern } from './pattern-compiler.js';
import { matchesEventPattern } from './pattern-matcher.js';

const EC2_EVENT = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const ASG_EVENT = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

const LIFECYCLE_EVENT = {
  version: '0',
  id: '12345678-1234-1234-1234-123456789012',
  'detail-type': 'EC2 Instance-terminate Lifecycle Action',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2021-01-13T00:12:37Z',
  region: 'us-west-2',
  resources: [
    'arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:042cba90-ad2f-431c-9b4d-6d9055bcc9fb:autoScalingGroupName/my-asg',
  ],
  detail: {
    LifecycleActionToken: '87654321-4321-4321-4321-210987654321',
    AutoScalingGroupName: 'my-asg',
    LifecycleHookName: 'my-lifecycle-hook',
    EC2InstanceId: 'i-1234567890abcdef0',
    LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
    Origin: 'AutoScalingGroup',
    Destination: 'EC2',
  },
};

function matches(pattern: unknown, event: unknown): boolean {
  const patternText = typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
  const eventText = typeof event === 'string' ? event : JSON.stringify(event);
  return matchesEventPattern(compileEventPattern(patternText), parseJson(eventText));
}

function refusal(pattern: unknown): { code: string; message: string } {
  const patternText = typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
  try {
    compileEventPattern(patternText);
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceError);
    const serviceError = error as ServiceError;
    return { code: serviceError.code, message: serviceError.message };
  }
  throw new Error(`pattern was accepted: ${patternText}`);
}

type Case = [description: string, pattern: unknown, event: unknown, expected: boolean];

const CASES: Case[] = [
  // --- fields, nesting, AND/OR (eb-event-patterns) --------------------------------------------
  [
    'source, detail-type and detail.state',
    {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    },
    EC2_EVENT,
    true,
  ],
  ['one of several sources', { source: ['aws.ec2', 'aws.fargate'] }, EC2_EVENT, true],
  ['a source that is not listed', { source: ['aws.fargate'] }, EC2_EVENT, false],
  ['fields not named in the pattern are ignored', { detail: { state: ['terminated'] } }, EC2_EVENT, true],
  ['every named field must match (AND)', { source: ['aws.ec2'], detail: { state: ['running'] } }, EC2_EVENT, false],
  ['a named field that is absent does not match', { detail: { reason: ['x'] } }, EC2_EVENT, false],
  ['the nesting must be the same', { state: ['terminated'] }, EC2_EVENT, false],
  ['strings are case-sensitive', { source: ['AWS.EC2'] }, EC2_EVENT, false],
  ['no normalisation of strings', { detail: { state: ['terminated '] } }, EC2_EVENT, false],
  [
    'the lifecycle rule of the drain function',
    {
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance-terminate Lifecycle Action'],
      detail: { AutoScalingGroupName: ['my-asg'] },
    },
    LIFECYCLE_EVENT,
    true,
  ],
  [
    'lifecycle rule for another group',
    { source: ['aws.autoscaling'], detail: { AutoScalingGroupName: ['other-asg'] } },
    LIFECYCLE_EVENT,
    false,
  ],
  [
    'numbers (Macie example)',
    { detail: { 'risk-score': [80], trigger: { risk: [8] } } },
    { detail: { 'risk-score': 80, trigger: { risk: 8 } } },
    true,
  ],
  ['numbers compare by string form: 300 is not 300.0', { detail: { x: [300] } }, '{"detail":{"x":300.0}}', false],
  ['numbers compare by string form: 300 is not 3.0e2', { detail: { x: [300] } }, '{"detail":{"x":3.0e2}}', false],
  [
    'numbers compare by string form: the same spelling matches',
    '{"detail":{"x":[3.0e2]}}',
    '{"detail":{"x":3.0e2}}',
    true,
  ],
  ['a number does not match its string', { detail: { x: [300] } }, { detail: { x: '300' } }, false],
  ['a string does not match a number', { detail: { x: ['300'] } }, { detail: { x: 300 } }, false],
  ['true matches true only', { detail: { on: [true] } }, { detail: { on: true } }, true],
  ['true does not match "true"', { detail: { on: [true] } }, { detail: { on: 'true' } }, false],
  ['false is not null', { detail: { on: [false] } }, { detail: { on: null } }, false],
  ['duplicate keys in a pattern: the last one wins', '{"source":["aws.s3"],"source":["aws.ec2"]}', EC2_EVENT, true],
  [
    'duplicate keys in a pattern: the first one is gone',
    '{"source":["aws.ec2"],"source":["aws.s3"]}',
    EC2_EVENT,
    false,
  ],

  // --- null and empty string (eb-event-patterns-null-values) ----------------------------------
  ['"" matches an empty string', { detail: { eventVersion: [''] } }, ASG_EVENT, true],
  ['null matches null', { detail: { responseElements: [null] } }, ASG_EVENT, true],
  ['"" does not match null', { detail: { responseElements: [''] } }, ASG_EVENT, false],
  ['null does not match ""', { detail: { eventVersion: [null] } }, ASG_EVENT, false],
  ['null does not match an absent field', { detail: { missing: [null] } }, ASG_EVENT, false],
  [
    'the user guide example with null',
    {
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Successful'],
      detail: { responseElements: [null] },
    },
    ASG_EVENT,
    true,
  ],

  // --- arrays (eb-event-patterns-arrays) --------------------------------------------------------
  [
    'an event array matches when the intersection is non-empty',
    {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      ],
    },
    {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    },
    true,
  ],
  ['an event array with no element in common', { resources: ['arn:x'] }, { resources: ['arn:y', 'arn:z'] }, false],
  ['an empty event array matches no value', { resources: ['arn:x'] }, { resources: [] }, false],
  ['nested arrays are flattened', { detail: { tags: ['b'] } }, { detail: { tags: [['a'], ['b']] } }, true],
  [
    'arrays of objects: one element holds both fields',
    { detail: { items: { name: ['a'], size: [1] } } },
    {
      detail: {
        items: [
          { name: 'a', size: 1 },
          { name: 'b', size: 2 },
        ],
      },
    },
    true,
  ],
  [
    'arrays of objects: two fields from two elements do not match (JSON-aware)',
    { detail: { items: { name: ['a'], size: [2] } } },
    {
      detail: {
        items: [
          { name: 'a', size: 1 },
          { name: 'b', size: 2 },
        ],
      },
    },
    false,
  ],
  [
    'arrays of objects, nested deeper',
    { detail: { a: { b: { c: ['x'] } } } },
    { detail: { a: [{ b: [{ c: 'y' }, { c: 'x' }] }] } },
    true,
  ],
  ['a pattern object against a string value does not match', { detail: { state: { name: ['x'] } } }, EC2_EVENT, false],
  ['a leaf pattern against an object value does not match', { detail: ['x'] }, EC2_EVENT, false],

  // --- prefix / suffix / equals-ignore-case / wildcard ----------------------------------------
  ['prefix', { time: [{ prefix: '2017-12-22' }] }, EC2_EVENT, true],
  ['prefix, not matching', { time: [{ prefix: '2017-10-02' }] }, EC2_EVENT, false],
  ['prefix applies to strings only', { detail: { n: [{ prefix: '12' }] } }, { detail: { n: 123 } }, false],
  [
    'prefix ignoring case',
    { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    { detail: { service: 'eventbridge' } },
    true,
  ],
  [
    'prefix ignoring case, not matching',
    { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    { detail: { service: 'sqs' } },
    false,
  ],
  ['suffix', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' }, true],
  ['suffix is case-sensitive', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.PNG' }, false],
  [
    'suffix ignoring case',
    { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
    { detail: { FileName: 'image.PNG' } },
    true,
  ],
  [
    'equals-ignore-case',
    { detail: { 'first-name': [{ 'equals-ignore-case': 'alice' }] } },
    { detail: { 'first-name': 'ALICE' } },
    true,
  ],
  [
    'equals-ignore-case is not prefix',
    { detail: { 'first-name': [{ 'equals-ignore-case': 'alice' }] } },
    { detail: { 'first-name': 'Alicia' } },
    false,
  ],
  [
    'wildcard',
    { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/my-bus' },
    true,
  ],
  [
    'wildcard, not matching',
    { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/my-bus' },
    false,
  ],
  [
    'wildcard * matches the empty string',
    { detail: { s: [{ wildcard: 'Simple*Service' }] } },
    { detail: { s: 'SimpleService' } },
    true,
  ],
  [
    'wildcard in the middle',
    { detail: { s: [{ wildcard: 'Simple*Service' }] } },
    { detail: { s: 'SimpleNotificationService' } },
    true,
  ],
  [
    'wildcard must match the whole value',
    { detail: { s: [{ wildcard: 'Simple*Service' }] } },
    { detail: { s: 'SimpleServices' } },
    false,
  ],
  ['wildcard: \\* is a literal star', { detail: { s: [{ wildcard: 'a\\*b' }] } }, { detail: { s: 'a*b' } }, true],
  [
    'wildcard: \\* does not match other text',
    { detail: { s: [{ wildcard: 'a\\*b' }] } },
    { detail: { s: 'axb' } },
    false,
  ],
  [
    'wildcard: \\\\ is a literal backslash',
    { detail: { s: [{ wildcard: 'a\\\\*' }] } },
    { detail: { s: 'a\\bc' } },
    true,
  ],
  [
    'wildcard: regex characters are literal',
    { detail: { s: [{ wildcard: 'a.c*' }] } },
    { detail: { s: 'abcd' } },
    false,
  ],
  ['wildcard on a number does not match', { detail: { s: [{ wildcard: '1*' }] } }, { detail: { s: 12 } }, false],

  // --- anything-but ----------------------------------------------------------------------------
  [
    'anything-but a string',
    { detail: { state: [{ 'anything-but': 'initializing' }] } },
    { detail: { state: 'running' } },
    true,
  ],
  [
    'anything-but a string, the excluded value',
    { detail: { state: [{ 'anything-but': 'initializing' }] } },
    { detail: { state: 'initializing' } },
    false,
  ],
  [
    'anything-but needs the field to exist',
    { detail: { state: [{ 'anything-but': 'initializing' }] } },
    { detail: {} },
    false,
  ],
  ['anything-but a number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, { detail: { 'x-limit': 124 } }, true],
  [
    'anything-but a number, the excluded value',
    { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    { detail: { 'x-limit': 123 } },
    false,
  ],
  [
    'anything-but numbers compares values (123 = 123.0)',
    { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    '{"detail":{"x-limit":123.0}}',
    false,
  ],
  [
    'anything-but a list of strings',
    { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    { detail: { state: 'running' } },
    true,
  ],
  [
    'anything-but a list of strings, excluded',
    { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    { detail: { state: 'overloaded' } },
    false,
  ],
  [
    'anything-but a list of numbers',
    { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    { detail: { 'x-limit': 150 } },
    true,
  ],
  [
    'anything-but a list of numbers, excluded',
    { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    { detail: { 'x-limit': 200 } },
    false,
  ],
  [
    'anything-but a string matches a value of another type',
    { detail: { state: [{ 'anything-but': 'initializing' }] } },
    { detail: { state: 5 } },
    true,
  ],
  [
    'anything-but against an array: any other element matches',
    { detail: { state: [{ 'anything-but': 'a' }] } },
    { detail: { state: ['a', 'b'] } },
    true,
  ],
  [
    'anything-but against an array of excluded values only',
    { detail: { state: [{ 'anything-but': ['a', 'b'] }] } },
    { detail: { state: ['a', 'b'] } },
    false,
  ],
  [
    'anything-but prefix',
    { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    { detail: { state: 'running' } },
    true,
  ],
  [
    'anything-but prefix, excluded',
    { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    { detail: { state: 'initializing' } },
    false,
  ],
  [
    'anything-but a list of prefixes',
    { Region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] },
    { Region: 'eu-west-1' },
    false,
  ],
  [
    'anything-but a list of prefixes, other value',
    { Region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] },
    { Region: 'ap-south-1' },
    true,
  ],
  ['anything-but suffix', { FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'a.txt' }, true],
  [
    'anything-but suffix, excluded',
    { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    { FileName: 'a.png' },
    false,
  ],
  [
    'anything-but ignoring case',
    { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
    { state: 'INITIALIZING' },
    false,
  ],
  [
    'anything-but ignoring case, a list',
    { state: [{ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }] },
    { state: 'c' },
    true,
  ],
  [
    'anything-but ignoring case, a list, excluded',
    { state: [{ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }] },
    { state: 'b' },
    false,
  ],
  [
    'anything-but wildcard',
    { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    { FilePath: '/usr/bin/x' },
    true,
  ],
  [
    'anything-but wildcard, excluded',
    { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    { FilePath: '/usr/lib/x' },
    false,
  ],
  [
    'anything-but wildcard list',
    { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*.jar'] } }] },
    { FilePath: 'a.jar' },
    false,
  ],

  // --- numeric -----------------------------------------------------------------------------------
  ['numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, { detail: { 'c-count': 5 } }, true],
  [
    'numeric range, above',
    { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } },
    { detail: { 'c-count': 6 } },
    false,
  ],
  [
    'numeric range, open bottom',
    { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } },
    { detail: { 'c-count': 0 } },
    false,
  ],
  ['numeric <', { detail: { 'd-count': [{ numeric: ['<', 10] }] } }, { detail: { 'd-count': 9.99 } }, true],
  ['numeric < at the bound', { detail: { 'd-count': [{ numeric: ['<', 10] }] } }, { detail: { 'd-count': 10 } }, false],
  [
    'numeric = compares values (3.018e2 = 301.8)',
    '{"detail":{"x-limit":[{"numeric":["=",3.018e2]}]}}',
    { detail: { 'x-limit': 301.8 } },
    true,
  ],
  ['numeric >= with negatives', { n: [{ numeric: ['>=', -5] }] }, { n: -5 }, true],
  [
    'numeric needs a JSON number',
    { detail: { 'c-count': [{ numeric: ['>', 0] }] } },
    { detail: { 'c-count': '5' } },
    false,
  ],
  ['numeric over an array of numbers', { n: [{ numeric: ['>', 10] }] }, { n: [1, 2, 30] }, true],
  [
    'the docs complex example',
    {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    },
    { time: '2017-10-02T18:43:48Z', detail: { state: 'running', 'c-count': 3, 'd-count': 2, 'x-limit': 150 } },
    true,
  ],
  [
    'the docs complex example, one field off',
    {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    },
    { time: '2017-10-02T18:43:48Z', detail: { state: 'running', 'c-count': 3, 'x-limit': 200 } },
    false,
  ],

  // --- cidr and IP addresses -------------------------------------------------------------------
  [
    'cidr IPv4',
    { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    { detail: { sourceIPAddress: '10.0.0.255' } },
    true,
  ],
  [
    'cidr IPv4, outside',
    { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    { detail: { sourceIPAddress: '10.0.1.0' } },
    false,
  ],
  ['cidr IPv4 /8', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: '10.200.3.4' }, true],
  ['cidr IPv4 /0', { ip: [{ cidr: '0.0.0.0/0' }] }, { ip: '192.168.1.1' }, true],
  ['cidr on a value that is not an IP address', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: 'ten' }, false],
  ['cidr IPv4 does not match IPv6', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: '::1' }, false],
  ['cidr IPv6', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db8:1234::1' }, true],
  ['cidr IPv6, outside', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db9::1' }, false],
  ['cidr IPv6 /64', { ip: [{ cidr: 'fe80::/64' }] }, { ip: 'fe80::abcd:1' }, true],
  ['an exact IP matches another spelling of the same address', { ip: ['::1'] }, { ip: '0:0:0:0:0:0:0:1' }, true],
  ['an exact IPv4 address', { ip: ['10.0.0.1'] }, { ip: '10.0.0.1' }, true],

  // --- exists ------------------------------------------------------------------------------------
  ['exists: true', { detail: { state: [{ exists: true }] } }, EC2_EVENT, true],
  ['exists: true, absent', { detail: { 'c-count': [{ exists: true }] } }, EC2_EVENT, false],
  ['exists: true matches a null value', { detail: { responseElements: [{ exists: true }] } }, ASG_EVENT, true],
  ['exists: false, absent', { detail: { 'c-count': [{ exists: false }] } }, EC2_EVENT, true],
  ['exists: false, present', { detail: { state: [{ exists: false }] } }, EC2_EVENT, false],
  [
    'exists: false matches when the path is an object (not a leaf)',
    { detail: { 'c-count': [{ exists: false }] } },
    { detail: { state: 'x', 'c-count': { c1: 100 } } },
    true,
  ],
  [
    'exists: true does not match an object',
    { detail: { 'c-count': [{ exists: true }] } },
    { detail: { 'c-count': { c1: 100 } } },
    false,
  ],
  ['exists: false when the parent is absent', { detail: { a: { b: [{ exists: false }] } } }, EC2_EVENT, true],
  ['exists: false on an empty array', { detail: { tags: [{ exists: false }] } }, { detail: { tags: [] } }, true],
  ['exists: true on an empty array', { detail: { tags: [{ exists: true }] } }, { detail: { tags: [] } }, false],
  ['a value OR exists: false', { detail: { state: ['running', { exists: false }] } }, { detail: {} }, true],

  // --- $or ---------------------------------------------------------------------------------------
  [
    '$or: the first branch',
    {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    },
    { source: 'aws.cloudwatch', metricName: 'ReadLatency' },
    true,
  ],
  [
    '$or: the second branch',
    {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    },
    { source: 'aws.cloudwatch', namespace: 'AWS/ES' },
    true,
  ],
  [
    '$or: no branch',
    { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] },
    { source: 'aws.cloudwatch', namespace: 'AWS/S3' },
    false,
  ],
  [
    '$or: a branch matches but an AND field does not',
    { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] },
    { source: 'aws.s3', namespace: 'AWS/EC2' },
    false,
  ],
  [
    '$or nested in detail',
    {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    },
    { detail: { 'd-count': 3 } },
    true,
  ],
  [
    '$or nested in detail, none',
    { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } },
    { detail: { 'd-count': 30 } },
    false,
  ],
  [
    '$or branches with nested objects',
    { $or: [{ detail: { a: ['1'] } }, { detail: { b: ['2'] } }] },
    { detail: { b: '2' } },
    true,
  ],
  [
    '$or inside an array of objects (one element must satisfy)',
    { detail: { items: { $or: [{ a: ['1'] }, { b: ['2'] }], c: ['3'] } } },
    { detail: { items: [{ a: '1' }, { b: '2', c: '3' }] } },
    true,
  ],
  [
    '$or inside an array of objects, split across elements',
    { detail: { items: { $or: [{ a: ['1'] }, { b: ['9'] }], c: ['3'] } } },
    { detail: { items: [{ a: '1' }, { b: '2', c: '3' }] } },
    false,
  ],
  ['nested $or', { $or: [{ a: ['1'] }, { $or: [{ b: ['2'] }, { c: ['3'] }] }] }, { c: '3' }, true],
];

describe('event patterns: match and no match', () => {
  it.each(CASES)('%s', (_description, pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });
});

type Refusal = [description: string, pattern: unknown, reason: string];

const REFUSALS: Refusal[] = [
  ['not JSON', '{"source": ', 'Unexpected end-of-input'],
  [
    'a bad token',
    '{"source": [aws]}',
    "Unexpected character ('a' (code 97)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
  ],
  [
    'an unquoted field name',
    '{source: ["a"]}',
    "Unexpected character ('s' (code 115)): was expecting double-quote to start field name",
  ],
  ['not an object', '["aws.ec2"]', 'Filter is not an object'],
  ['an empty pattern', {}, 'Empty objects are not allowed'],
  ['an empty nested object', { source: ['aws.health'], detail: {} }, 'Empty objects are not allowed'],
  ['a bare string value', { detail: { pipeline: { slug: 'some-pipeline' } } }, '"slug" must be an object or an array'],
  ['a bare number value', { 'risk-score': 80 }, '"risk-score" must be an object or an array'],
  ['an empty array', { source: [] }, 'Empty arrays are not allowed'],
  ['an array inside a value array', { source: [['a']] }, 'Match value must be String, number, true, false, or null'],
  ['an unknown operator', { source: [{ contains: 'x' }] }, 'Unrecognized match type contains'],
  ['an empty match expression', { source: [{}] }, 'Match expression name not found'],
  [
    'two operators in one expression',
    { source: [{ prefix: 'a', suffix: 'b' }] },
    'Only one key allowed in match expression',
  ],
  ['prefix of a number', { source: [{ prefix: 1 }] }, 'prefix match pattern must be a string'],
  ['suffix of null', { source: [{ suffix: null }] }, 'suffix match pattern must be a string'],
  [
    'prefix with an unknown inner operator',
    { source: [{ prefix: { wildcard: 'a' } }] },
    'Unsupported prefix pattern: wildcard',
  ],
  ['suffix with an unknown inner operator', { source: [{ suffix: { foo: 'a' } }] }, 'Unsupported suffix pattern: foo'],
  [
    'prefix ignoring case of a number',
    { source: [{ prefix: { 'equals-ignore-case': 5 } }] },
    'equals-ignore-case match pattern must be a string',
  ],
  [
    'equals-ignore-case of a number',
    { source: [{ 'equals-ignore-case': 5 }] },
    'equals-ignore-case match pattern must be a string',
  ],
  ['wildcard of a number', { source: [{ wildcard: 5 }] }, 'wildcard match pattern must be a string'],
  ['consecutive wildcards', { key: [{ wildcard: 'abc**def' }] }, 'Consecutive wildcard characters at pos 4'],
  ['an invalid wildcard escape', { key: [{ wildcard: 'a*c\\def' }] }, 'Invalid escape character at pos 4'],
  ['a trailing wildcard backslash', { key: [{ wildcard: 'abc\\' }] }, 'Invalid escape character at pos 4'],
  [
    'anything-but of null',
    { state: [{ 'anything-but': null }] },
    'Value of anything-but must be an array or single string/number value.',
  ],
  [
    'anything-but of a boolean',
    { state: [{ 'anything-but': true }] },
    'Value of anything-but must be an array or single string/number value.',
  ],
  [
    'anything-but list with null',
    { state: [{ 'anything-but': ['a', null] }] },
    'Inside anything but list, start|null|boolean is not supported.',
  ],
  [
    'anything-but list of objects (several prefixes)',
    { state: [{ 'anything-but': [{ prefix: 'abc-' }, { prefix: 'xyz-' }] }] },
    'Inside anything but list, start|null|boolean is not supported.',
  ],
  [
    'anything-but mixed list',
    { state: [{ 'anything-but': ['a', 1] }] },
    'Inside anything but list, either all values are number or string, mixed type is not supported',
  ],
  [
    'anything-but empty list',
    { state: [{ 'anything-but': [] }] },
    'Inside anything but list, either all values are number or string, mixed type is not supported',
  ],
  [
    'anything-but with an unknown inner operator',
    { state: [{ 'anything-but': { numeric: ['>', 1] } }] },
    'Unsupported anything-but pattern: numeric',
  ],
  [
    'anything-but with an empty inner object',
    { state: [{ 'anything-but': {} }] },
    'Anything-But expression name not found',
  ],
  [
    'anything-but prefix of a number',
    { state: [{ 'anything-but': { prefix: 5 } }] },
    'prefix/suffix match pattern must be a string',
  ],
  [
    'anything-but prefix of an empty string',
    { state: [{ 'anything-but': { prefix: '' } }] },
    'Null prefix/suffix not allowed',
  ],
  [
    'anything-but suffix of an empty string in a list',
    { state: [{ 'anything-but': { suffix: ['.png', ''] } }] },
    'Null prefix/suffix not allowed',
  ],
  [
    'anything-but prefix of an object',
    { state: [{ 'anything-but': { prefix: { a: 1 } } }] },
    'Value of anything-but must be an array or single string/number value.',
  ],
  [
    'anything-but ignoring case of a number',
    { state: [{ 'anything-but': { 'equals-ignore-case': 5 } }] },
    'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
  ],
  [
    'anything-but wildcard of a number',
    { state: [{ 'anything-but': { wildcard: [5] } }] },
    'wildcard match pattern must be a string',
  ],
  [
    'anything-but wildcard with **',
    { state: [{ 'anything-but': { wildcard: 'a**' } }] },
    'Consecutive wildcard characters at pos 2',
  ],
  [
    'anything-but with a second key',
    { state: [{ 'anything-but': 'a', prefix: 'b' }] },
    'Too many elements in numeric expression',
  ],
  ['numeric not an array', { n: [{ numeric: '>' }] }, 'Value of numeric must be an array.'],
  ['numeric empty', { n: [{ numeric: [] }] }, 'Invalid member in numeric match: ]'],
  ['numeric starting with a number', { n: [{ numeric: [5] }] }, 'Invalid member in numeric match: 5'],
  ['numeric unknown operator', { n: [{ numeric: ['!=', 5] }] }, 'Unrecognized numeric range operator: !='],
  ['numeric value is a string', { n: [{ numeric: ['>', '5'] }] }, 'Value of > must be numeric'],
  ['numeric equals a string', { n: [{ numeric: ['=', 'five'] }] }, 'Value of equals must be numeric'],
  ['numeric operator without a value', { n: [{ numeric: ['<='] }] }, 'Value of <= must be numeric'],
  ['numeric = with a range', { n: [{ numeric: ['=', 5, '<', 6] }] }, 'Too many elements in numeric expression'],
  ['numeric < with a second bound', { n: [{ numeric: ['<', 5, '>', 1] }] }, 'Too many elements in numeric expression'],
  ['numeric range with a number for the operator', { n: [{ numeric: ['>', 1, 5] }] }, 'Bad value in numeric range: 5'],
  [
    'numeric range with a lower operator on top',
    { n: [{ numeric: ['>', 1, '>', 5] }] },
    'Bad numeric range operator: >',
  ],
  ['numeric range without a top value', { n: [{ numeric: ['>', 1, '<'] }] }, 'Value of < must be numeric'],
  [
    'numeric range with extra terms',
    { n: [{ numeric: ['>', 1, '<', 5, 6] }] },
    'Too many terms in numeric range expression',
  ],
  ['numeric range upside down', { n: [{ numeric: ['>', 5, '<', 1] }] }, 'Bottom must be less than top'],
  [
    'numeric with a second key',
    { n: [{ numeric: ['>', 5], exists: true }] },
    'Too many elements in numeric expression',
  ],
  ['exists of a string', { n: [{ exists: 'true' }] }, 'exists match pattern must be either true or false.'],
  ['exists with a second key', { n: [{ exists: true, prefix: 'a' }] }, 'Only one key allowed in match expression'],
  ['cidr of a number', { ip: [{ cidr: 10 }] }, 'prefix match pattern must be a string'],
  ['cidr without a mask', { ip: [{ cidr: '10.0.0.0' }] }, "Malformed CIDR, one '/' required"],
  ['cidr with an empty mask', { ip: [{ cidr: '10.0.0.0/' }] }, "Malformed CIDR, one '/' required"],
  ['cidr with a word for a mask', { ip: [{ cidr: '10.0.0.0/abc' }] }, 'Malformed CIDR, mask bits must be an integer'],
  ['cidr with a negative mask', { ip: [{ cidr: '10.0.0.0/-1' }] }, 'Malformed CIDR, mask bits must not be negative'],
  ['cidr of a host name', { ip: [{ cidr: 'example.com/8' }] }, 'Nonstandard IP address: example.com'],
  ['cidr IPv4 /32', { ip: [{ cidr: '10.0.0.1/32' }] }, 'IPv4 mask bits must be < 32'],
  ['cidr IPv6 /128', { ip: [{ cidr: '::1/128' }] }, 'IPv6 mask bits must be < 128'],
  ['$or not an array', { $or: { a: ['1'] } }, 'It must be an Array followed with $or.'],
  ['$or with one branch', { $or: [{ a: ['1'] }] }, 'There must have at least 2 Objects in $or relationship.'],
  [
    '$or with a non-object branch',
    { $or: [{ a: ['1'] }, ['b']] },
    'Only JSON object is allowed in array of $or relationship.',
  ],
  ['$or with an empty branch', { $or: [{ a: ['1'] }, {}] }, 'Empty objects are not allowed'],
  [
    'an operator name as a field inside $or',
    { $or: [{ prefix: ['1'] }, { b: ['2'] }] },
    'prefix is Ruler reserved fieldName which cannot be used inside $or.',
  ],
];

describe('event patterns: refused with InvalidEventPatternException', () => {
  it.each(REFUSALS)('%s', (_description, pattern, reason) => {
    expect(refusal(pattern)).toEqual({
      code: 'InvalidEventPatternException',
      message: `Event pattern is not valid. Reason: ${reason}`,
    });
  });

  it('refuses $or that expands to more than 1000 combinations', () => {
    const branches = (field: string) =>
      Array.from({ length: 11 }, (_, index) => ({ [`${field}${index}`]: [String(index)] }));
    // 11 × 11 × 11 = 1331 alternatives.
    const tooMany = {
      a: { $or: branches('a') },
      b: { $or: branches('b') },
      c: { $or: branches('c') },
    };
    const { code, message } = refusal(tooMany);
    expect(code).toBe('InvalidEventPatternException');
    expect(message).toMatch(/^Event pattern is not valid\. Reason: .*1331 combinations.*1000/);
    // 10 × 10 × 10 = 1000 is allowed.
    const enough = {
      a: { $or: branches('a').slice(0, 10) },
      b: { $or: branches('b').slice(0, 10) },
      c: { $or: branches('c').slice(0, 10) },
    };
    expect(() => compileEventPattern(JSON.stringify(enough))).not.toThrow();
    expect(matches(enough, { a: { a3: '3' }, b: { b9: '9' }, c: { c0: '0' } })).toBe(true);
  });
});
