/**
 * Routing and listeners on the virtual clock (C.5; `UG:alb/load-balancer-listeners`): weighted
 * forwarding, rules by priority with the default rule last, fail-open, redirects and fixed
 * responses, listener sockets bound through the data plane, load balancers becoming active.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { elbv2Scenario, forwardTo, SECOND, type Elbv2Scenario } from '../../../test/support/elbv2-scenario.js';
import { PROVISIONING_MS } from './load-balancer.js';
import type { HttpRequestInfo } from './ports.js';

let t: Elbv2Scenario;
let lb: string;
let blue: string;
let green: string;
beforeEach(async () => {
  t = elbv2Scenario();
  lb = t.createLoadBalancer('front');
  blue = t.createTargetGroup('blue');
  green = t.createTargetGroup('green');
  t.register(blue, { Id: '127.0.0.10' });
  t.register(green, { Id: '127.0.0.20' });
});
afterEach(async () => t.close());

function get(url: string, extra: Partial<HttpRequestInfo> = {}): HttpRequestInfo {
  const parsed = new URL(url);
  return {
    method: 'GET',
    path: parsed.pathname,
    query: parsed.searchParams,
    headers: { host: parsed.host },
    sourceIp: '10.0.0.5',
    ...extra,
  };
}

describe('forwarding', () => {
  it('weighted forward 3:1 splits ~3:1 over 1,000 routing decisions', async () => {
    const listener = t.createListener(lb, [
      {
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: blue, Weight: 3 },
            { TargetGroupArn: green, Weight: 1 },
          ],
        },
      },
    ]);
    await t.advanceBy(30 * SECOND);
    const counts = new Map<string, number>();
    for (let i = 0; i < 1000; i += 1) {
      const decision = t.service.routing.routeHttp(listener, get('http://front/'));
      if (decision.kind !== 'forward') throw new Error(`expected forward, got ${decision.kind}`);
      counts.set(decision.targetGroupArn, (counts.get(decision.targetGroupArn) ?? 0) + 1);
    }
    expect(counts.get(blue)! / 1000).toBeGreaterThan(0.7);
    expect(counts.get(blue)! / 1000).toBeLessThan(0.8);
    expect(counts.get(blue)! + counts.get(green)!).toBe(1000);
  });

  it('a weight of 0 takes a group out of rotation; all weights 0 answer no-targets (503)', () => {
    const listener = t.createListener(lb, [
      {
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: blue, Weight: 0 },
            { TargetGroupArn: green, Weight: 5 },
          ],
        },
      },
    ]);
    for (let i = 0; i < 50; i += 1) {
      expect(t.service.routing.routeHttp(listener, get('http://front/'))).toMatchObject({ targetGroupArn: green });
    }
    t.call('ModifyListener', {
      ListenerArn: listener,
      DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue, Weight: 0 }] } }],
    });
    expect(t.service.routing.routeHttp(listener, get('http://front/'))).toEqual({ kind: 'no-targets' });
  });

  it('all targets unhealthy fails open: every registered target is a candidate', async () => {
    t.register(blue, { Id: '127.0.0.11' });
    const listener = t.createListener(lb, forwardTo(blue));
    const failing = { ok: false, reasonCode: 'Target.ResponseCodeMismatch', statusCode: 500 };
    t.dataplane.setProbeOutcome('127.0.0.10', 8080, failing);
    t.dataplane.setProbeOutcome('127.0.0.11', 8080, failing);
    await t.advanceBy(60 * SECOND);
    expect(t.states(blue)).toEqual({ '127.0.0.10:8080': 'unhealthy', '127.0.0.11:8080': 'unhealthy' });
    const candidates = () => {
      const decision = t.service.routing.routeHttp(listener, get('http://front/'));
      return decision.kind === 'forward' ? decision.candidates.map((candidate) => candidate.id) : [];
    };
    expect(candidates()).toEqual(['127.0.0.10', '127.0.0.11']);
    t.dataplane.setProbeOutcome('127.0.0.11', 8080, undefined);
    await t.advanceBy(5 * 30 * SECOND);
    expect(candidates()).toEqual(['127.0.0.11']);
  });

  it('a group with no targets answers no-targets; the algorithm attribute is handed to the data plane', () => {
    const empty = t.createTargetGroup('empty');
    const listener = t.createListener(lb, forwardTo(empty));
    expect(t.service.routing.routeHttp(listener, get('http://front/'))).toEqual({ kind: 'no-targets' });
    t.setAttribute(blue, 'load_balancing.algorithm.type', 'least_outstanding_requests');
    t.call('ModifyListener', { ListenerArn: listener, DefaultActions: forwardTo(blue) });
    expect(t.service.routing.routeHttp(listener, get('http://front/'))).toMatchObject({
      kind: 'forward',
      algorithm: 'least_outstanding_requests',
    });
  });

  it('a new default action takes effect for new requests at once', () => {
    const listener = t.createListener(lb, forwardTo(blue));
    expect(t.service.routing.routeHttp(listener, get('http://front/'))).toMatchObject({ targetGroupArn: blue });
    t.call('ModifyListener', { ListenerArn: listener, DefaultActions: forwardTo(green) });
    expect(t.service.routing.routeHttp(listener, get('http://front/'))).toMatchObject({ targetGroupArn: green });
  });
});

describe('rules', () => {
  it('rules by priority; default rule last', () => {
    const listener = t.createListener(lb, forwardTo(blue));
    t.call('CreateRule', {
      ListenerArn: listener,
      Priority: 10,
      Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }],
      Actions: forwardTo(green),
    });
    t.call('CreateRule', {
      ListenerArn: listener,
      Priority: 5,
      Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['admin.*'] } }],
      Actions: [
        {
          Type: 'fixed-response',
          FixedResponseConfig: { StatusCode: '403', ContentType: 'text/plain', MessageBody: 'no' },
        },
      ],
    });
    const route = (url: string) => t.service.routing.routeHttp(listener, get(url));
    expect(route('http://admin.example.com/api/users')).toEqual({
      kind: 'fixed-response',
      statusCode: 403,
      contentType: 'text/plain',
      body: 'no',
    });
    expect(route('http://www.example.com/api/users')).toMatchObject({ kind: 'forward', targetGroupArn: green });
    expect(route('http://www.example.com/index.html')).toMatchObject({ kind: 'forward', targetGroupArn: blue });

    const rules = t.call<{ Rules: Array<{ Priority: string; IsDefault: boolean; RuleArn: string }> }>('DescribeRules', {
      ListenerArn: listener,
    }).Rules;
    expect(rules.map((rule) => [rule.Priority, rule.IsDefault])).toEqual([
      ['5', false],
      ['10', false],
      ['default', true],
    ]);
    // Swapping priorities atomically flips which rule wins.
    t.call('SetRulePriorities', {
      RulePriorities: [
        { RuleArn: rules[0]!.RuleArn, Priority: 10 },
        { RuleArn: rules[1]!.RuleArn, Priority: 5 },
      ],
    });
    expect(route('http://admin.example.com/api/users')).toMatchObject({ kind: 'forward', targetGroupArn: green });
  });

  it('the default rule is changed through ModifyRule (actions only) or ModifyListener', () => {
    const listener = t.createListener(lb, forwardTo(blue));
    const [defaultRule] = t.call<{ Rules: Array<{ RuleArn: string }> }>('DescribeRules', {
      ListenerArn: listener,
    }).Rules;
    t.call('ModifyRule', { RuleArn: defaultRule!.RuleArn, Actions: forwardTo(green) });
    expect(t.service.routing.routeHttp(listener, get('http://front/'))).toMatchObject({ targetGroupArn: green });
    expect(
      t.call<{ Listeners: Array<{ DefaultActions: unknown[] }> }>('DescribeListeners', { ListenerArns: [listener] })
        .Listeners[0]!.DefaultActions,
    ).toMatchObject([{ TargetGroupArn: green }]);
    expect(() =>
      t.call('ModifyRule', { RuleArn: defaultRule!.RuleArn, Conditions: [{ Field: 'path-pattern', Values: ['/x'] }] }),
    ).toThrow('The default rule of a listener cannot be given conditions');
  });

  it('redirect with #{host}/#{path}/#{query} substitution', () => {
    const listener = t.createListener(lb, [
      {
        Type: 'redirect',
        RedirectConfig: { Protocol: 'HTTPS', Port: '443', Host: 'secure.#{host}', StatusCode: 'HTTP_301' },
      },
    ]);
    expect(t.service.routing.routeHttp(listener, get('http://www.example.com/a/b?x=1'))).toEqual({
      kind: 'redirect',
      statusCode: 301,
      location: 'https://secure.www.example.com:443/a/b?x=1',
    });
  });
});

describe('load balancers and listeners', () => {
  it('a load balancer is provisioning, then active on the clock', async () => {
    const state = () =>
      t.call<{ LoadBalancers: Array<{ State: { Code: string } }> }>('DescribeLoadBalancers', { LoadBalancerArns: [lb] })
        .LoadBalancers[0]!.State.Code;
    expect(state()).toBe('provisioning');
    await t.advanceBy(PROVISIONING_MS - 1);
    expect(state()).toBe('provisioning');
    await t.advanceBy(1);
    expect(state()).toBe('active');
  });

  it('listeners bind on the load balancer’s own loopback address; a port change rebinds; deletion unbinds', async () => {
    const other = t.createLoadBalancer('back');
    const listener = t.createListener(lb, forwardTo(blue));
    t.createListener(other, forwardTo(green));
    expect(t.service.listeners().map((status) => status.state)).toEqual(['binding', 'binding']);
    await t.settle();
    expect(t.service.listeners()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          loadBalancerName: 'front',
          address: '127.2.0.1',
          port: 80,
          state: 'bound',
          protocol: 'HTTP',
        }),
        expect.objectContaining({ loadBalancerName: 'back', address: '127.2.0.2', port: 80, state: 'bound' }),
      ]),
    );
    t.call('ModifyListener', { ListenerArn: listener, Port: 8080 });
    await t.settle();
    expect(t.dataplane.bindings().find((binding) => binding.listenerArn === listener)).toMatchObject({ port: 8080 });
    t.call('DeleteLoadBalancer', { LoadBalancerArn: lb });
    await t.settle();
    expect(t.dataplane.bindings().map((binding) => binding.address)).toEqual(['127.2.0.2']);
    // A new load balancer never reuses an address.
    t.createLoadBalancer('again');
    expect(
      t.call<{ LoadBalancers: unknown[] }>('DescribeLoadBalancers', { Names: ['again'] }).LoadBalancers,
    ).toHaveLength(1);
    t.createListener(
      t.call<{ LoadBalancers: Array<{ LoadBalancerArn: string }> }>('DescribeLoadBalancers', { Names: ['again'] })
        .LoadBalancers[0]!.LoadBalancerArn,
      forwardTo(blue),
    );
    await t.settle();
    expect(
      t.service
        .listeners()
        .map((status) => status.address)
        .sort(),
    ).toEqual(['127.2.0.2', '127.2.0.3']);
  });

  it('a listener the data plane cannot bind is reported failed with its message', async () => {
    const listener = t.createListener(lb, forwardTo(blue));
    await t.settle();
    t.service.observer.listenerBindFailed(listener, 'listen EACCES: permission denied 127.2.0.1:80');
    expect(t.service.listeners()[0]).toMatchObject({
      state: 'failed',
      message: 'listen EACCES: permission denied 127.2.0.1:80',
    });
  });
});
