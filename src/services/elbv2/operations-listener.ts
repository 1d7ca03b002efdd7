/**
 * ELBv2 wire adapter for listeners: Create (HTTP on an ALB, TCP on an NLB; a port once per load
 * balancer; idempotent for the same settings), Describe, Modify (given members replace, lists
 * wholesale, C.5) and Delete (its rules go with it). The listener's socket is bound later by the
 * listener controller through the data plane; this only records intent.
 */
import type { RequestContext } from '../../kernel/operation.js';
import { actionsFromWire, forwardedTargetGroups, type ActionRecord, type WireAction } from './action.js';
import { listenerArn, resourceId, ruleArn } from './arns.js';
import {
  findTargetGroupInScope,
  listenersOf,
  requireListener,
  requireLoadBalancer,
  rulesOfListener,
  scopeOf,
  targetGroupUsage,
  type Elbv2Context,
} from './context.js';
import {
  duplicateListener,
  listenerPortInUse,
  targetGroupAssociationLimit,
  tooManyListeners,
  unsupportedProtocol,
  validationError,
} from './errors.js';
import { LIMITS } from './limits.js';
import { listenerToWire, type ListenerRecord } from './listener.js';
import type { LoadBalancerRecord } from './load-balancer.js';
import { pageOf } from './paging.js';
import type { Scope } from './ports.js';
import { tagsFromWire, type WireTag } from './tags.js';

interface CreateListenerInput {
  LoadBalancerArn: string;
  Protocol?: string;
  Port?: number;
  DefaultActions: WireAction[];
  Certificates?: unknown[];
  Tags?: WireTag[];
}

interface ModifyListenerInput {
  ListenerArn: string;
  Protocol?: string;
  Port?: number;
  DefaultActions?: WireAction[];
}

export function listenerOperations(ctx: Elbv2Context) {
  return {
    CreateListener: (input: CreateListenerInput, request: RequestContext) => {
      const scope = scopeOf(request);
      const lb = requireLoadBalancer(ctx, scope, input.LoadBalancerArn);
      if (input.Protocol === undefined) throw validationError('A protocol must be specified');
      if (input.Port === undefined) throw validationError('A port must be specified');
      const protocol = listenerProtocol(lb, input.Protocol);
      const defaultActions = listenerActions(ctx, scope, lb, input.DefaultActions);
      const siblings = listenersOf(ctx, lb.loadBalancerArn);
      const onPort = siblings.find((listener) => listener.port === input.Port);
      if (onPort) {
        const same =
          onPort.protocol === protocol && JSON.stringify(onPort.defaultActions) === JSON.stringify(defaultActions);
        if (same) return { Listeners: [listenerToWire(onPort)] };
        throw duplicateListener(lb.loadBalancerArn);
      }
      if (siblings.length >= LIMITS.listenersPerLoadBalancer) throw tooManyListeners(LIMITS.listenersPerLoadBalancer);
      const arn = listenerArn(lb.loadBalancerArn, resourceId(ctx.random));
      const record: ListenerRecord = {
        accountId: scope.accountId,
        region: scope.region,
        listenerArn: arn,
        loadBalancerArn: lb.loadBalancerArn,
        protocol,
        port: input.Port,
        defaultActions,
        defaultRuleArn: ruleArn(arn, resourceId(ctx.random)),
        tags: tagsFromWire(input.Tags),
        createdAtMs: ctx.clock.now(),
      };
      ctx.tables.listeners.put(arn, record);
      return { Listeners: [listenerToWire(record)] };
    },

    DescribeListeners: (
      input: { LoadBalancerArn?: string; ListenerArns?: string[]; Marker?: string; PageSize?: number },
      request: RequestContext,
    ) => {
      const scope = scopeOf(request);
      let listeners: ListenerRecord[];
      if (input.ListenerArns?.length) {
        if (input.LoadBalancerArn !== undefined) {
          throw validationError('Listener ARNs and a load balancer ARN cannot be specified at the same time');
        }
        listeners = input.ListenerArns.map((arn) => requireListener(ctx, scope, arn));
        listeners = [...new Map(listeners.map((listener) => [listener.listenerArn, listener])).values()].sort((a, b) =>
          a.listenerArn < b.listenerArn ? -1 : 1,
        );
      } else if (input.LoadBalancerArn !== undefined) {
        listeners = listenersOf(ctx, requireLoadBalancer(ctx, scope, input.LoadBalancerArn).loadBalancerArn);
      } else {
        throw validationError('You must specify either listener ARNs or a load balancer ARN');
      }
      const page = pageOf(listeners, (listener) => listener.listenerArn, input.PageSize, input.Marker);
      return { Listeners: page.items.map(listenerToWire), NextMarker: page.nextMarker };
    },

    ModifyListener: (input: ModifyListenerInput, request: RequestContext) => {
      const scope = scopeOf(request);
      const listener = requireListener(ctx, scope, input.ListenerArn);
      const lb = requireLoadBalancer(ctx, scope, listener.loadBalancerArn);
      const protocol = input.Protocol !== undefined ? listenerProtocol(lb, input.Protocol) : listener.protocol;
      const port = input.Port ?? listener.port;
      if (
        port !== listener.port &&
        listenersOf(ctx, lb.loadBalancerArn).some(
          (other) => other.listenerArn !== listener.listenerArn && other.port === port,
        )
      ) {
        throw listenerPortInUse(port);
      }
      const defaultActions =
        input.DefaultActions !== undefined
          ? listenerActions(ctx, scope, lb, input.DefaultActions)
          : listener.defaultActions;
      const next: ListenerRecord = { ...listener, protocol, port, defaultActions };
      ctx.tables.listeners.put(listener.listenerArn, next);
      return { Listeners: [listenerToWire(next)] };
    },

    DeleteListener: (input: { ListenerArn: string }, request: RequestContext) => {
      const listener = requireListener(ctx, scopeOf(request), input.ListenerArn);
      ctx.store.transaction(() => {
        for (const rule of rulesOfListener(ctx, listener.listenerArn)) ctx.tables.rules.delete(rule.ruleArn);
        ctx.tables.listeners.delete(listener.listenerArn);
      });
      return {};
    },
  };
}

/** ALB listeners are HTTP, NLB listeners TCP: the protocols drydock's proxies speak. */
function listenerProtocol(lb: LoadBalancerRecord, protocol: string): 'HTTP' | 'TCP' {
  if (lb.type === 'application') {
    if (protocol === 'HTTP') return 'HTTP';
    if (protocol === 'HTTPS') {
      throw unsupportedProtocol(
        'drydock serves HTTP listeners on Application Load Balancers; HTTPS needs certificates drydock does not manage',
      );
    }
    throw unsupportedProtocol(`Protocol '${protocol}' is not supported for Application Load Balancers`);
  }
  if (protocol === 'TCP') return 'TCP';
  throw unsupportedProtocol(`drydock serves TCP listeners on Network Load Balancers, not '${protocol}'`);
}

/** Validated actions whose target groups no other load balancer uses (one load balancer per group, C.4). */
export function listenerActions(
  ctx: Elbv2Context,
  scope: Scope,
  lb: LoadBalancerRecord,
  actions: readonly WireAction[],
): ActionRecord[] {
  const records = actionsFromWire(actions, {
    loadBalancerType: lb.type,
    findTargetGroup: (arn) => findTargetGroupInScope(ctx, scope, arn),
  });
  const usage = targetGroupUsage(ctx, scope);
  const taken = forwardedTargetGroups(records).filter((arn) =>
    [...(usage.get(arn) ?? [])].some((other) => other !== lb.loadBalancerArn),
  );
  if (taken.length > 0) throw targetGroupAssociationLimit(taken);
  return records;
}
