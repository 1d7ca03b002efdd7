/**
 * What the gateway knows about each AWS service it serves, beyond its model: the SigV4 signing
 * name and X-Amz-Target prefix it is routed by, its codec, and the error it answers when input
 * fails model validation. Each service names that error its own way (Auto Scaling and ELBv2
 * `ValidationError`, ECS `InvalidParameterException`, EventBridge `ValidationException`, EC2
 * `MissingParameter`/`InvalidParameterValue`, ...), so it is a per-service rule here.
 */
import { ServiceError } from '../kernel/service-error.js';
import { awsJsonCodec } from './codec/aws-json.js';
import { awsQueryCodec } from './codec/aws-query.js';
import { ec2QueryCodec } from './codec/ec2-query.js';
import { restJson1Codec } from './codec/rest-json-1.js';
import { sqsQueryCodec } from './codec/sqs-query.js';
import { loadQueryTwinModel, loadServiceModel, type ProtocolName, type ServiceId, type ServiceModel } from './model.js';
import type { Codec, WireRequest } from './protocol.js';
import { formatViolations, type Violation } from './validate.js';
import type { ViolationKind } from './violation.js';

export interface ServiceEntry {
  readonly id: ServiceId;
  /** The model's protocol; `models/<id>.json` is the authority, a test checks they agree. */
  readonly protocol: ProtocolName;
  /** SigV4 credential-scope service name. ELBv2 shares `elasticloadbalancing` with Classic ELB. */
  readonly signingName: string;
  /** awsQuery/ec2 `Version` parameter (= the model's apiVersion). */
  readonly apiVersion: string;
  /** awsJson `X-Amz-Target` prefix. */
  readonly targetPrefix?: string;
  readonly validationError: (violations: readonly Violation[]) => ServiceError;
  /**
   * Which model constraints the service's front end enforces; all of them when absent. EC2 is not
   * a Coral service: it checks only that required parameters are there and answers bad values in
   * its own words (`Invalid value 't3.foo' for InstanceType.`), so its enums (1,200 instance types
   * long) and patterns are left to the service.
   */
  readonly enforces?: readonly ViolationKind[];
  /** A JSON service that also answers awsQuery form requests (SQS): the codec for its query twin model. */
  readonly queryTwinCodec?: Codec;
}

/** Coral-style services answer every constraint violation with one code and AWS's joined message. */
function coral(code: string) {
  return (violations: readonly Violation[]) => new ServiceError(code, formatViolations([...violations]));
}

/**
 * Query-era services (EC2, SQS) report a missing parameter by its wire name and a bad value
 * separately. `path` is the lower-camel member path; the wire name capitalises it back.
 */
function missingOrInvalid(violations: readonly Violation[]): ServiceError {
  const missing = violations.find((v) => v.kind === 'required');
  if (missing) {
    const name = missing.path.charAt(0).toUpperCase() + missing.path.slice(1);
    return new ServiceError('MissingParameter', `The request must contain the parameter ${name}`);
  }
  return new ServiceError('InvalidParameterValue', formatViolations([...violations]));
}

export const SERVICE_CATALOG: Readonly<Record<ServiceId, ServiceEntry>> = {
  autoscaling: {
    id: 'autoscaling',
    protocol: 'query',
    signingName: 'autoscaling',
    apiVersion: '2011-01-01',
    validationError: coral('ValidationError'),
  },
  ec2: {
    id: 'ec2',
    protocol: 'ec2',
    signingName: 'ec2',
    apiVersion: '2016-11-15',
    validationError: missingOrInvalid,
    enforces: ['required'],
  },
  ecs: {
    id: 'ecs',
    protocol: 'json',
    signingName: 'ecs',
    apiVersion: '2014-11-13',
    targetPrefix: 'AmazonEC2ContainerServiceV20141113',
    validationError: coral('InvalidParameterException'),
  },
  elbv2: {
    id: 'elbv2',
    protocol: 'query',
    signingName: 'elasticloadbalancing',
    apiVersion: '2015-12-01',
    validationError: coral('ValidationError'),
  },
  events: {
    id: 'events',
    protocol: 'json',
    signingName: 'events',
    apiVersion: '2015-10-07',
    targetPrefix: 'AWSEvents',
    validationError: coral('ValidationException'),
  },
  lambda: {
    id: 'lambda',
    protocol: 'rest-json',
    signingName: 'lambda',
    apiVersion: '2015-03-31',
    validationError: coral('ValidationException'),
  },
  sns: {
    id: 'sns',
    protocol: 'query',
    signingName: 'sns',
    apiVersion: '2010-03-31',
    validationError: coral('ValidationError'),
  },
  sqs: {
    id: 'sqs',
    protocol: 'json',
    signingName: 'sqs',
    apiVersion: '2012-11-05',
    targetPrefix: 'AmazonSQS',
    validationError: missingOrInvalid,
    // SQS names a bad attribute name itself (InvalidAttributeName: `Unknown Attribute Foo.`).
    enforces: ['required'],
    queryTwinCodec: sqsQueryCodec,
  },
  codedeploy: {
    id: 'codedeploy',
    protocol: 'json',
    signingName: 'codedeploy',
    apiVersion: '2014-10-06',
    targetPrefix: 'CodeDeploy_20141006',
    validationError: coral('ValidationException'),
  },
  stepfunctions: {
    id: 'stepfunctions',
    protocol: 'json',
    signingName: 'states',
    apiVersion: '2016-11-23',
    targetPrefix: 'AWSStepFunctions',
    validationError: coral('ValidationException'),
  },
};

const CODECS: Readonly<Record<ProtocolName, Codec>> = {
  query: awsQueryCodec,
  ec2: ec2QueryCodec,
  json: awsJsonCodec,
  'rest-json': restJson1Codec,
};

export function codecFor(protocol: ProtocolName): Codec {
  return CODECS[protocol];
}

/**
 * The model and codec a request is served with: its service's own, except that a form request
 * (`Action=…`, no X-Amz-Target) to a JSON service with a query twin gets the twin (SQS's older
 * SDKs speak awsQuery to the same endpoint the JSON SDKs use).
 */
export function servingOf(
  serviceId: ServiceId,
  request: WireRequest,
  action: () => string | undefined,
): { model: ServiceModel; codec: Codec } {
  const twinCodec = SERVICE_CATALOG[serviceId].queryTwinCodec;
  if (twinCodec && request.headers['x-amz-target'] === undefined && action() !== undefined) {
    const twin = loadQueryTwinModel(serviceId);
    if (twin) return { model: twin, codec: twinCodec };
  }
  const model = loadServiceModel(serviceId);
  return { model, codec: codecFor(model.metadata.protocol) };
}
