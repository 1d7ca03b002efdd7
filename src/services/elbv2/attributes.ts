/**
 * Load-balancer and target-group attributes (C.3; `UG:alb/application-load-balancers#load-balancer-attributes`,
 * `UG:nlb/network-load-balancers`): every key a type knows, with AWS's defaults and the values it
 * accepts. Attributes are strings on the wire; a key the type does not know, or a value out of
 * range, is a ValidationError (UNCONFIRMED wording). Modify merges the given keys into the rest.
 */
import { validationError } from './errors.js';

type Rule =
  | { kind: 'bool' }
  | { kind: 'int'; min: number; max: number; zeroAllowed?: boolean }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'text'; max: number };

interface AttributeSpec {
  key: string;
  value: string;
  rule: Rule;
}

const bool = (key: string, value: 'true' | 'false'): AttributeSpec => ({ key, value, rule: { kind: 'bool' } });
const int = (key: string, value: number, min: number, max: number, zeroAllowed = false): AttributeSpec => ({
  key,
  value: String(value),
  rule: { kind: 'int', min, max, zeroAllowed },
});
const oneOf = (key: string, value: string, values: readonly string[]): AttributeSpec => ({
  key,
  value,
  rule: { kind: 'enum', values },
});
const text = (key: string, value = '', max = 1024): AttributeSpec => ({ key, value, rule: { kind: 'text', max } });

const ACCESS_LOGS = [
  bool('access_logs.s3.enabled', 'false'),
  text('access_logs.s3.bucket'),
  text('access_logs.s3.prefix'),
];

export const APPLICATION_LOAD_BALANCER_ATTRIBUTES: readonly AttributeSpec[] = [
  ...ACCESS_LOGS,
  bool('connection_logs.s3.enabled', 'false'),
  text('connection_logs.s3.bucket'),
  text('connection_logs.s3.prefix'),
  bool('deletion_protection.enabled', 'false'),
  int('idle_timeout.timeout_seconds', 60, 1, 4000),
  int('client_keep_alive.seconds', 3600, 60, 604800),
  oneOf('routing.http.desync_mitigation_mode', 'defensive', ['monitor', 'defensive', 'strictest']),
  bool('routing.http.drop_invalid_header_fields.enabled', 'false'),
  bool('routing.http.preserve_host_header.enabled', 'false'),
  bool('routing.http.x_amzn_tls_version_and_cipher_suite.enabled', 'false'),
  bool('routing.http.xff_client_port.enabled', 'false'),
  oneOf('routing.http.xff_header_processing.mode', 'append', ['append', 'preserve', 'remove']),
  bool('routing.http2.enabled', 'true'),
  bool('waf.fail_open.enabled', 'false'),
  bool('load_balancing.cross_zone.enabled', 'true'),
  bool('zonal_shift.config.enabled', 'false'),
];

export const NETWORK_LOAD_BALANCER_ATTRIBUTES: readonly AttributeSpec[] = [
  ...ACCESS_LOGS,
  bool('deletion_protection.enabled', 'false'),
  bool('load_balancing.cross_zone.enabled', 'false'),
  oneOf('dns_record.client_routing_policy', 'any_availability_zone', [
    'availability_zone_affinity',
    'partial_availability_zone_affinity',
    'any_availability_zone',
  ]),
  bool('zonal_shift.config.enabled', 'false'),
];

const CROSS_ZONE = oneOf('load_balancing.cross_zone.enabled', 'use_load_balancer_configuration', [
  'true',
  'false',
  'use_load_balancer_configuration',
]);
const TARGET_GROUP_HEALTH = [
  text('target_group_health.dns_failover.minimum_healthy_targets.count', '1'),
  text('target_group_health.dns_failover.minimum_healthy_targets.percentage', 'off'),
  text('target_group_health.unhealthy_state_routing.minimum_healthy_targets.count', '1'),
  text('target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage', 'off'),
];

/** Attributes of a target group an ALB uses (protocol HTTP). */
export const HTTP_TARGET_GROUP_ATTRIBUTES: readonly AttributeSpec[] = [
  int('deregistration_delay.timeout_seconds', 300, 0, 3600),
  bool('stickiness.enabled', 'false'),
  oneOf('stickiness.type', 'lb_cookie', ['lb_cookie', 'app_cookie']),
  int('stickiness.lb_cookie.duration_seconds', 86400, 1, 604800),
  text('stickiness.app_cookie.cookie_name', '', 256),
  int('stickiness.app_cookie.duration_seconds', 86400, 1, 604800),
  int('slow_start.duration_seconds', 0, 30, 900, true),
  oneOf('load_balancing.algorithm.type', 'round_robin', [
    'round_robin',
    'least_outstanding_requests',
    'weighted_random',
  ]),
  oneOf('load_balancing.algorithm.anomaly_mitigation', 'off', ['on', 'off']),
  CROSS_ZONE,
  ...TARGET_GROUP_HEALTH,
];

/** Attributes of a target group an NLB uses (protocol TCP); preserve_client_ip's default depends on the type. */
export function tcpTargetGroupAttributes(targetType: 'instance' | 'ip'): readonly AttributeSpec[] {
  return [
    int('deregistration_delay.timeout_seconds', 300, 0, 3600),
    bool('deregistration_delay.connection_termination.enabled', 'false'),
    bool('stickiness.enabled', 'false'),
    oneOf('stickiness.type', 'source_ip', ['source_ip']),
    bool('proxy_protocol_v2.enabled', 'false'),
    bool('preserve_client_ip.enabled', targetType === 'ip' ? 'false' : 'true'),
    CROSS_ZONE,
    bool('target_health_state.unhealthy.connection_termination.enabled', 'true'),
    int('target_health_state.unhealthy.draining_interval_seconds', 0, 0, 360000),
    ...TARGET_GROUP_HEALTH,
  ];
}

export function defaultAttributes(specs: readonly AttributeSpec[]): Record<string, string> {
  return Object.fromEntries(specs.map((spec) => [spec.key, spec.value]));
}

export interface WireAttribute {
  Key?: string;
  Value?: string;
}

/** The attributes after applying `changes`; throws ValidationError for an unknown key or a bad value. */
export function modifyAttributes(
  current: Readonly<Record<string, string>>,
  changes: readonly WireAttribute[],
  specs: readonly AttributeSpec[],
  owner: 'Load balancer' | 'Target group',
): Record<string, string> {
  const next = { ...current };
  for (const change of changes) {
    const key = change.Key ?? '';
    const value = change.Value ?? '';
    const spec = specs.find((candidate) => candidate.key === key);
    if (!spec) throw validationError(`${owner} attribute key '${key}' is not recognized`);
    checkValue(spec, value);
    next[key] = value;
  }
  return next;
}

function checkValue(spec: AttributeSpec, value: string): void {
  const rule = spec.rule;
  switch (rule.kind) {
    case 'bool':
      if (value !== 'true' && value !== 'false')
        throw validationError(`${spec.key} must be either 'true' or 'false', got '${value}'`);
      return;
    case 'int': {
      const number = /^-?\d+$/.test(value) ? Number(value) : NaN;
      const inRange = number >= rule.min && number <= rule.max;
      if (!(inRange || (rule.zeroAllowed === true && number === 0))) {
        const zero = rule.zeroAllowed ? ` (or 0 to turn it off)` : '';
        throw validationError(
          `${spec.key} must be an integer between ${rule.min} and ${rule.max}${zero}, got '${value}'`,
        );
      }
      return;
    }
    case 'enum':
      if (!rule.values.includes(value))
        throw validationError(
          `${spec.key} must be one of ${rule.values.map((v) => `'${v}'`).join(', ')}, got '${value}'`,
        );
      return;
    case 'text':
      if (value.length > rule.max) throw validationError(`${spec.key} must be at most ${rule.max} characters long`);
      return;
  }
}

export function attributesToWire(attributes: Readonly<Record<string, string>>): Array<{ Key: string; Value: string }> {
  return Object.entries(attributes).map(([Key, Value]) => ({ Key, Value }));
}
