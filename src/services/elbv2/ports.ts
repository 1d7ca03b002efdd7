/**
 * What ELBv2 needs from outside, and what it offers its data plane. The control plane (this
 * service) decides: which listeners exist, how a request or connection is routed, which targets
 * may receive new traffic, the health state machine and the deregistration delay (timers on the
 * clock). The data plane (dataplane/ real sockets; sim/ counts in virtual time) does the I/O:
 * it binds listeners, proxies, probes targets and reports what it observes back as facts.
 */
import type { EventBusPort } from '../events/ports.js';

export interface Scope {
  accountId: string;
  region: string;
}

export interface ListenerBinding {
  listenerArn: string;
  loadBalancerArn: string;
  /** ALB listeners proxy HTTP; NLB listeners proxy TCP connections. */
  protocol: 'HTTP' | 'TCP';
  /** The load balancer's own loopback address (e.g. 127.2.0.3), so every LB can use port 80. */
  address: string;
  port: number;
}

/** A target the data plane may connect to. */
export interface TargetEndpoint {
  targetGroupArn: string;
  /** Instance id or IP, as registered. */
  id: string;
  /** Where the target really listens on this machine. */
  address: string;
  port: number;
}

export interface HttpRequestInfo {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  sourceIp: string;
}

export type HttpRouteDecision =
  | {
      kind: 'forward';
      /** One target group chosen by weight; its candidates are the targets that may take new requests. */
      targetGroupArn: string;
      candidates: TargetEndpoint[];
      algorithm: 'round_robin' | 'least_outstanding_requests' | 'weighted_random';
    }
  | { kind: 'fixed-response'; statusCode: number; contentType?: string; body?: string }
  | { kind: 'redirect'; statusCode: 301 | 302; location: string }
  /** No target group has a target to send to: ALB answers 503. */
  | { kind: 'no-targets' };

export type TcpRouteDecision =
  { kind: 'forward'; targetGroupArn: string; candidates: TargetEndpoint[] } | { kind: 'no-targets' };

/** What ELBv2 offers the data plane: per-request/per-connection decisions, made from its state. */
export interface RoutingApi {
  routeHttp(listenerArn: string, request: HttpRequestInfo): HttpRouteDecision;
  routeTcp(listenerArn: string, sourceIp: string): TcpRouteDecision;
}

export interface HealthCheckSpec {
  targetGroupArn: string;
  target: TargetEndpoint;
  protocol: 'HTTP' | 'TCP';
  /** The port probed (traffic-port resolved). */
  port: number;
  path: string;
  /** Matcher, e.g. `200`, `200-399`, `200,302`. */
  matcher: string;
  intervalMs: number;
  timeoutMs: number;
}

export interface ProbeResult {
  ok: boolean;
  /** When not ok: `Target.Timeout`, `Target.ResponseCodeMismatch`, `Target.FailedHealthChecks`. */
  reasonCode?: string;
  /** e.g. the status code that did not match. */
  statusCode?: number;
}

/** What the data plane reports back; ELBv2 records it and reconciles. */
export interface LoadBalancerObserver {
  probeCompleted(targetGroupArn: string, targetId: string, targetPort: number, result: ProbeResult): void;
  /** Open connections (NLB) or in-flight requests (ALB) to a target changed. */
  activityChanged(targetGroupArn: string, targetId: string, targetPort: number, activeCount: number): void;
  listenerBindFailed(listenerArn: string, message: string): void;
  listenerBound(listenerArn: string, address: string, port: number): void;
}

export interface LoadBalancerDataplanePort {
  /** Binds (or rebinds after a change of port) a listener's socket. */
  bindListener(binding: ListenerBinding): void;
  unbindListener(listenerArn: string): void;
  /** Replaces the set of health checks the data plane runs (keyed by target group + target). */
  setHealthChecks(checks: HealthCheckSpec[]): void;
  /** At the end of a deregistration delay with connection termination on: close what remains. */
  closeConnections(targetGroupArn: string, targetId: string, targetPort: number): void;
}

/**
 * The address drydock hands the data plane for an instance target nothing on this machine answers
 * for (InstanceAddressesPort.addressOf gave undefined): a loopback address no one listens on, so
 * probes fail and a request sent there fails, as one to an instance with nothing running would.
 */
export const UNREACHABLE_TARGET_ADDRESS = '127.255.255.254';

/** Where a registered instance target really listens (ECS gives each container instance its own address). */
export interface InstanceAddressesPort {
  /** undefined when nothing on this machine answers for the instance (probes then fail). */
  addressOf(scope: Scope, instanceId: string): string | undefined;
  /** EC2 state, for `Target.InvalidState` (stopped/terminated instances) and InvalidTarget checks. */
  instanceState(scope: Scope, instanceId: string): string | undefined;
  availabilityZoneOf(scope: Scope, instanceId: string): string | undefined;
}

export interface SubnetView {
  subnetId: string;
  availabilityZone: string;
  vpcId: string;
}

/** EC2's subnets, so a load balancer's Availability Zones and VPC are the real ones. */
export interface SubnetsPort {
  /** The subnets that exist, among these ids. */
  describeSubnets(scope: Scope, subnetIds: string[]): SubnetView[];
}

export interface Elbv2Ports {
  eventBus: EventBusPort;
  dataplane: LoadBalancerDataplanePort;
  instances: InstanceAddressesPort;
  /**
   * Optional: without it, any well-formed subnet id is accepted, its zone is derived from its
   * position (`<region>a`, `<region>b`, …) and the load balancer has no VpcId.
   */
  subnets?: SubnetsPort;
}
