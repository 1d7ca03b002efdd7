/**
 * TargetGroup: where a listener's forward action sends traffic. drydock serves `instance` and
 * `ip` targets over HTTP (groups an Application Load Balancer uses) and TCP (groups a Network
 * Load Balancer uses). Health-check settings take AWS's defaults per protocol (C.2) and its
 * rules: interval greater than timeout, health checks always on for instance/ip targets.
 */
import type { TagRecord } from './tags.js';
import { validationError } from './errors.js';

export type TargetGroupProtocol = 'HTTP' | 'TCP';
export type TargetType = 'instance' | 'ip';

export interface HealthCheckSettings {
  protocol: 'HTTP' | 'TCP';
  /** `traffic-port` or a port number, as a string (as the API carries it). */
  port: string;
  /** HTTP checks only. */
  path?: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThresholdCount: number;
  unhealthyThresholdCount: number;
  /** HTTP checks only: `200`, `200-399`, `200,302`. */
  matcher?: string;
}

export interface TargetGroupRecord {
  accountId: string;
  region: string;
  targetGroupArn: string;
  name: string;
  targetType: TargetType;
  protocol: TargetGroupProtocol;
  protocolVersion?: 'HTTP1';
  port: number;
  vpcId: string;
  ipAddressType: 'ipv4';
  healthCheck: HealthCheckSettings;
  attributes: Record<string, string>;
  tags: TagRecord[];
  createdAtMs: number;
}

/** The health-check members of CreateTargetGroup / ModifyTargetGroup. */
export interface HealthCheckInput {
  HealthCheckProtocol?: string;
  HealthCheckPort?: string;
  HealthCheckEnabled?: boolean;
  HealthCheckPath?: string;
  HealthCheckIntervalSeconds?: number;
  HealthCheckTimeoutSeconds?: number;
  HealthyThresholdCount?: number;
  UnhealthyThresholdCount?: number;
  Matcher?: { HttpCode?: string; GrpcCode?: string };
}

/** UNCONFIRMED wording for the name rules (1–32 alphanumerics or hyphens, no hyphen at either end). */
export function checkTargetGroupName(name: string): void {
  if (name.length < 1 || name.length > 32) {
    throw validationError(`Target group name '${name}' cannot be longer than '32' characters`);
  }
  if (!/^[A-Za-z0-9-]+$/.test(name)) {
    throw validationError(
      `Target group name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`,
    );
  }
  if (name.startsWith('-') || name.endsWith('-')) {
    throw validationError(`Target group name '${name}' cannot begin or end with '-'`);
  }
}

export function checkTargetGroupProtocol(protocol: string): TargetGroupProtocol {
  if (protocol === 'HTTP' || protocol === 'TCP') return protocol;
  throw validationError(
    `drydock serves target groups with protocol HTTP (Application Load Balancers) or TCP (Network Load Balancers), not '${protocol}'`,
  );
}

export function checkTargetType(targetType: string | undefined): TargetType {
  const type = targetType ?? 'instance';
  if (type === 'instance' || type === 'ip') return type;
  throw validationError(`drydock supports target types 'instance' and 'ip', not '${type}'`);
}

/** C.2 defaults: ALB (HTTP) groups check HTTP `/` every 30 s with a 5 s timeout; NLB (TCP) groups check TCP. */
function defaultsFor(protocol: TargetGroupProtocol, checkProtocol: 'HTTP' | 'TCP'): HealthCheckSettings {
  if (protocol === 'HTTP') {
    return {
      protocol: 'HTTP',
      port: 'traffic-port',
      path: '/',
      intervalSeconds: 30,
      timeoutSeconds: 5,
      healthyThresholdCount: 5,
      unhealthyThresholdCount: 2,
      matcher: '200',
    };
  }
  const http = checkProtocol === 'HTTP';
  return {
    protocol: checkProtocol,
    port: 'traffic-port',
    ...(http ? { path: '/', matcher: '200-399' } : {}),
    intervalSeconds: 30,
    timeoutSeconds: http ? 6 : 10,
    healthyThresholdCount: 5,
    unhealthyThresholdCount: 2,
  };
}

/** The health-check settings for a new group: AWS's defaults overridden by what the call gives. */
export function healthCheckForCreate(
  protocol: TargetGroupProtocol,
  targetType: TargetType,
  input: HealthCheckInput,
): HealthCheckSettings {
  const checkProtocol = checkHealthCheckProtocol(protocol, input.HealthCheckProtocol);
  return applyHealthCheck(protocol, targetType, defaultsFor(protocol, checkProtocol), input);
}

/** ModifyTargetGroup: the given settings over the current ones, checked together. */
export function healthCheckForModify(group: TargetGroupRecord, input: HealthCheckInput): HealthCheckSettings {
  const checkProtocol = checkHealthCheckProtocol(
    group.protocol,
    input.HealthCheckProtocol ?? group.healthCheck.protocol,
  );
  let base = group.healthCheck;
  if (checkProtocol !== base.protocol) {
    // Switching an NLB group's check between TCP and HTTP brings that protocol's path/matcher defaults.
    const defaults = defaultsFor(group.protocol, checkProtocol);
    base = { ...base, protocol: checkProtocol, path: defaults.path, matcher: defaults.matcher };
  }
  return applyHealthCheck(group.protocol, group.targetType, base, input);
}

function checkHealthCheckProtocol(protocol: TargetGroupProtocol, requested: string | undefined): 'HTTP' | 'TCP' {
  const wanted = requested ?? (protocol === 'HTTP' ? 'HTTP' : 'TCP');
  if (wanted === 'HTTP' || (wanted === 'TCP' && protocol === 'TCP')) return wanted;
  throw validationError(
    protocol === 'HTTP'
      ? `Health check protocol '${wanted}' is not supported for target groups with the HTTP protocol; drydock probes HTTP`
      : `drydock probes TCP and HTTP health checks, not '${wanted}'`,
  );
}

function applyHealthCheck(
  protocol: TargetGroupProtocol,
  targetType: TargetType,
  base: HealthCheckSettings,
  input: HealthCheckInput,
): HealthCheckSettings {
  if (input.HealthCheckEnabled === false) {
    throw validationError(`Health checks cannot be disabled for target groups with target type '${targetType}'`);
  }
  const http = base.protocol === 'HTTP';
  if (!http && input.HealthCheckPath !== undefined) {
    throw validationError('A health check path cannot be specified for TCP health checks');
  }
  if (!http && input.Matcher?.HttpCode !== undefined) {
    throw validationError('A health check matcher cannot be specified for TCP health checks');
  }
  if (input.Matcher?.GrpcCode !== undefined) throw validationError('drydock does not support gRPC health checks');
  const next: HealthCheckSettings = {
    ...base,
    port: input.HealthCheckPort ?? base.port,
    intervalSeconds: input.HealthCheckIntervalSeconds ?? base.intervalSeconds,
    timeoutSeconds: input.HealthCheckTimeoutSeconds ?? base.timeoutSeconds,
    healthyThresholdCount: input.HealthyThresholdCount ?? base.healthyThresholdCount,
    unhealthyThresholdCount: input.UnhealthyThresholdCount ?? base.unhealthyThresholdCount,
  };
  if (http) {
    next.path = input.HealthCheckPath ?? base.path ?? '/';
    next.matcher = input.Matcher?.HttpCode ?? base.matcher ?? (protocol === 'HTTP' ? '200' : '200-399');
    if (!next.path.startsWith('/'))
      throw validationError(`Health check path '${next.path}' must begin with a '/' character`);
    checkMatcher(next.matcher, protocol === 'HTTP' ? 499 : 599);
  }
  checkHealthCheckPort(next.port);
  // OBS: "Health check interval must be greater than the timeout."
  if (next.intervalSeconds <= next.timeoutSeconds)
    throw validationError('Health check interval must be greater than the timeout.');
  return next;
}

function checkHealthCheckPort(port: string): void {
  if (port === 'traffic-port') return;
  const number = /^\d+$/.test(port) ? Number(port) : NaN;
  if (!(number >= 1 && number <= 65535)) {
    throw validationError(`Health check port '${port}' must be 'traffic-port' or a port number between 1 and 65535`);
  }
}

/** `200`, `200,302`, `200-399`: codes from 200 to 499 (ALB) or 599 (NLB). UNCONFIRMED wording. */
export function checkMatcher(matcher: string, maxCode: number): void {
  for (const part of matcher.split(',')) {
    const range = /^(\d{3})(?:-(\d{3}))?$/.exec(part.trim());
    const low = Number(range?.[1]);
    const high = Number(range?.[2] ?? range?.[1]);
    if (!range || low < 200 || high > maxCode || low > high) {
      throw validationError(
        `Health check matcher HTTP code '${matcher}' must be codes or ranges of codes between 200 and ${maxCode}`,
      );
    }
  }
}

/** Whether a status code satisfies a matcher (`200`, `200,302`, `200-399`). */
export function matcherAccepts(matcher: string, statusCode: number): boolean {
  return matcher.split(',').some((part) => {
    const [low, high = low] = part.trim().split('-').map(Number) as [number, number?];
    return statusCode >= low && statusCode <= (high ?? low);
  });
}

export function targetGroupToWire(record: TargetGroupRecord, loadBalancerArns: string[]) {
  const check = record.healthCheck;
  return {
    TargetGroupArn: record.targetGroupArn,
    TargetGroupName: record.name,
    Protocol: record.protocol,
    Port: record.port,
    VpcId: record.vpcId,
    HealthCheckProtocol: check.protocol,
    HealthCheckPort: check.port,
    HealthCheckEnabled: true,
    HealthCheckIntervalSeconds: check.intervalSeconds,
    HealthCheckTimeoutSeconds: check.timeoutSeconds,
    HealthyThresholdCount: check.healthyThresholdCount,
    UnhealthyThresholdCount: check.unhealthyThresholdCount,
    HealthCheckPath: check.path,
    Matcher: check.matcher !== undefined ? { HttpCode: check.matcher } : undefined,
    LoadBalancerArns: loadBalancerArns,
    TargetType: record.targetType,
    ProtocolVersion: record.protocolVersion,
    IpAddressType: record.ipAddressType,
  };
}

/** The interval and timeout the data plane probes with. */
export function healthCheckTimingMs(check: HealthCheckSettings): { intervalMs: number; timeoutMs: number } {
  return { intervalMs: check.intervalSeconds * 1000, timeoutMs: check.timeoutSeconds * 1000 };
}
