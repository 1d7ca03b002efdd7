/**
 * Scenario support for ELBv2 tests: the real service, store and control loop on a VirtualClock
 * with the simulated load-balancer data plane, EC2 instances as a small in-memory port, and
 * helpers that create load balancers, target groups and listeners the way a user would, so a test
 * reads like the AWS docs it checks.
 */
import { ControlLoop } from '../../src/kernel/control-loop.js';
import { silentLogger } from '../../src/kernel/logger.js';
import type { RequestContext } from '../../src/kernel/operation.js';
import { seededRandom } from '../../src/kernel/random.js';
import { ServiceError } from '../../src/kernel/service-error.js';
import { VirtualClock } from '../../src/kernel/virtual-clock.js';
import { openStore, type Store } from '../../src/store/store.js';
import {
  createSimulatedLoadBalancerDataplane,
  type SimulatedLoadBalancer,
} from '../../src/sim/simulated-load-balancer.js';
import type { InstanceAddressesPort, Scope, SubnetsPort } from '../../src/services/elbv2/ports.js';
import { createElbv2Service, type Elbv2Service } from '../../src/services/elbv2/service.js';
import { elbv2Migrations } from '../../src/services/elbv2/store.js';

export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
export const SCOPE: Scope = { accountId: ACCOUNT_ID, region: REGION };
export const VPC_ID = 'vpc-0000000000000000a';
export const SUBNETS = ['subnet-0000000000000000a', 'subnet-0000000000000000b', 'subnet-0000000000000000c'];

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

interface FakeInstance {
  state: string;
  address?: string;
  availabilityZone: string;
}

/** EC2 instances as ELBv2 sees them: a state, and the loopback address their processes listen on. */
export class FakeInstances implements InstanceAddressesPort {
  readonly instances = new Map<string, FakeInstance>();
  private sequence = 0;

  /** A running instance; by default its processes listen on 127.1.0.<n>. */
  run(address: string | null = `127.1.0.${this.sequence + 1}`): string {
    this.sequence += 1;
    const id = `i-${this.sequence.toString(16).padStart(17, '0')}`;
    this.instances.set(id, {
      state: 'running',
      ...(address !== null ? { address } : {}),
      availabilityZone: `${REGION}a`,
    });
    return id;
  }

  setState(id: string, state: string): void {
    const instance = this.instances.get(id);
    if (instance) instance.state = state;
  }

  addressOf(_scope: Scope, instanceId: string): string | undefined {
    return this.instances.get(instanceId)?.address;
  }

  instanceState(_scope: Scope, instanceId: string): string | undefined {
    return this.instances.get(instanceId)?.state;
  }

  availabilityZoneOf(_scope: Scope, instanceId: string): string | undefined {
    return this.instances.get(instanceId)?.availabilityZone;
  }
}

/** EC2's subnets: SUBNETS in zones a, b, c of one VPC. */
export const fakeSubnets: SubnetsPort = {
  describeSubnets: (_scope, ids) =>
    SUBNETS.map((subnetId, index) => ({
      subnetId,
      availabilityZone: `${REGION}${'abc'[index]}`,
      vpcId: VPC_ID,
    })).filter((subnet) => ids.includes(subnet.subnetId)),
};

export interface ScenarioOptions {
  seed?: number;
  probeSuccessRate?: number;
  storeLocation?: string;
  withSubnets?: boolean;
}

export interface Elbv2Scenario {
  clock: VirtualClock;
  store: Store;
  controlLoop: ControlLoop;
  service: Elbv2Service;
  dataplane: SimulatedLoadBalancer;
  instances: FakeInstances;
  /** Runs an operation as the gateway would after model validation; throws its ServiceError. */
  call<O = Record<string, unknown>>(operation: string, input: object): O;
  settle(): Promise<void>;
  advanceBy(ms: number): Promise<void>;
  createLoadBalancer(name: string, type?: 'application' | 'network'): string;
  createTargetGroup(name: string, extra?: Record<string, unknown>): string;
  createListener(loadBalancerArn: string, defaultActions: object[], port?: number): string;
  setAttribute(targetGroupArn: string, key: string, value: string): void;
  register(targetGroupArn: string, ...targets: Array<{ Id: string; Port?: number }>): void;
  deregister(targetGroupArn: string, ...targets: Array<{ Id: string; Port?: number }>): void;
  /** `<id>:<port>` → State, for every target DescribeTargetHealth lists. */
  states(targetGroupArn: string): Record<string, string>;
  /** DescribeTargetHealth's TargetHealth for one target. */
  healthOf(targetGroupArn: string, id: string, port?: number): { State: string; Reason?: string; Description?: string };
  close(): Promise<void>;
}

export const forwardTo = (targetGroupArn: string) => [{ Type: 'forward', TargetGroupArn: targetGroupArn }];

export function elbv2Scenario(options: ScenarioOptions = {}): Elbv2Scenario {
  const clock = new VirtualClock();
  const store = openStore({ location: options.storeLocation ?? 'memory', migrations: elbv2Migrations });
  const controlLoop = new ControlLoop({ clock, logger: silentLogger });
  const instances = new FakeInstances();
  const random = seededRandom(options.seed ?? 1);
  const dataplane = createSimulatedLoadBalancerDataplane({
    clock,
    random: random.fork('sim-load-balancer'),
    observer: () => service.observer,
    routing: () => service.routing,
    ...(options.probeSuccessRate !== undefined ? { probeSuccessRate: options.probeSuccessRate } : {}),
  });
  const service: Elbv2Service = createElbv2Service({
    store,
    clock,
    random,
    controlLoop,
    logger: silentLogger,
    ports: {
      eventBus: { publish: () => {} },
      dataplane,
      instances,
      ...(options.withSubnets ? { subnets: fakeSubnets } : {}),
    },
  });
  const context = (operationName: string): RequestContext => ({
    requestId: 'req-0000',
    region: REGION,
    accountId: ACCOUNT_ID,
    serviceId: 'elbv2',
    operationName,
  });
  const call = <O>(operation: string, input: object): O => {
    const handler = service.operations[operation];
    if (!handler) throw new Error(`ELBv2 does not implement ${operation}`);
    const result = handler(input as never, context(operation));
    if (result instanceof Promise) throw new Error(`${operation} answered asynchronously`);
    return result as O;
  };
  type Health = {
    Target: { Id: string; Port: number };
    TargetHealth: { State: string; Reason?: string; Description?: string };
  };
  const describeHealth = (targetGroupArn: string, targets?: object[]) =>
    call<{ TargetHealthDescriptions: Health[] }>('DescribeTargetHealth', {
      TargetGroupArn: targetGroupArn,
      ...(targets ? { Targets: targets } : {}),
    }).TargetHealthDescriptions;
  return {
    clock,
    store,
    controlLoop,
    service,
    dataplane,
    instances,
    call,
    settle: async () => {
      await clock.advanceBy(0);
    },
    advanceBy: async (ms) => {
      await clock.advanceBy(ms);
    },
    createLoadBalancer: (name, type = 'application') =>
      call<{ LoadBalancers: Array<{ LoadBalancerArn: string }> }>('CreateLoadBalancer', {
        Name: name,
        Type: type,
        Subnets: type === 'application' ? SUBNETS.slice(0, 2) : SUBNETS.slice(0, 1),
      }).LoadBalancers[0]!.LoadBalancerArn,
    createTargetGroup: (name, extra = {}) =>
      call<{ TargetGroups: Array<{ TargetGroupArn: string }> }>('CreateTargetGroup', {
        Name: name,
        Protocol: 'HTTP',
        Port: 8080,
        VpcId: VPC_ID,
        TargetType: 'ip',
        ...extra,
      }).TargetGroups[0]!.TargetGroupArn,
    createListener: (loadBalancerArn, defaultActions, port = 80) => {
      const lb = call<{ LoadBalancers: Array<{ Type: string }> }>('DescribeLoadBalancers', {
        LoadBalancerArns: [loadBalancerArn],
      }).LoadBalancers[0]!;
      return call<{ Listeners: Array<{ ListenerArn: string }> }>('CreateListener', {
        LoadBalancerArn: loadBalancerArn,
        Protocol: lb.Type === 'application' ? 'HTTP' : 'TCP',
        Port: port,
        DefaultActions: defaultActions,
      }).Listeners[0]!.ListenerArn;
    },
    setAttribute: (targetGroupArn, key, value) => {
      call('ModifyTargetGroupAttributes', { TargetGroupArn: targetGroupArn, Attributes: [{ Key: key, Value: value }] });
    },
    register: (targetGroupArn, ...targets) => {
      call('RegisterTargets', { TargetGroupArn: targetGroupArn, Targets: targets });
    },
    deregister: (targetGroupArn, ...targets) => {
      call('DeregisterTargets', { TargetGroupArn: targetGroupArn, Targets: targets });
    },
    states: (targetGroupArn) =>
      Object.fromEntries(
        describeHealth(targetGroupArn).map((entry) => [
          `${entry.Target.Id}:${entry.Target.Port}`,
          entry.TargetHealth.State,
        ]),
      ),
    healthOf: (targetGroupArn, id, port) =>
      describeHealth(targetGroupArn, [{ Id: id, ...(port !== undefined ? { Port: port } : {}) }])[0]!.TargetHealth,
    close: async () => {
      dataplane.close();
      await controlLoop.stop();
      clock.close();
      store.close();
    },
  };
}

/** The ServiceError an operation throws (for asserting code and message). */
export function serviceErrorOf(fn: () => unknown): ServiceError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('expected the operation to fail, and it succeeded');
}
