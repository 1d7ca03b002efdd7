/**
 * The routing decisions ELBv2 hands its data plane (RoutingApi), per request or connection:
 * rules in priority order then the default rule; a weighted choice among a forward's target
 * groups drawn from the seeded Random; and the target group's candidates — its healthy targets,
 * or, when none is healthy, every registered target that is not draining (ALB and NLB fail open,
 * C.1). Draining targets never receive new traffic. Instance targets whose instance is not
 * running are left out (AWS shows them unused/Target.InvalidState).
 */
import type { Random } from '../../kernel/random.js';
import type { ActionRecord, WeightedTargetGroup } from './action.js';
import { redirectLocation } from './action.js';
import { rulesOfListener, type Elbv2Context } from './context.js';
import { byPriority } from './listener.js';
import {
  UNREACHABLE_TARGET_ADDRESS,
  type HttpRequestInfo,
  type HttpRouteDecision,
  type RoutingApi,
  type TargetEndpoint,
  type TcpRouteDecision,
} from './ports.js';
import { firstMatchingRule, hostName } from './rule-matcher.js';
import { scopeOfArn } from './arns.js';
import { targetsOf } from './store.js';

type Algorithm = 'round_robin' | 'least_outstanding_requests' | 'weighted_random';

/** A weighted draw: each group's share is weight / Σ weights; all-zero weights send nothing (UNCONFIRMED, C.5). */
export function chooseTargetGroup(groups: readonly WeightedTargetGroup[], random: Random): string | undefined {
  const total = groups.reduce((sum, group) => sum + group.weight, 0);
  if (total <= 0) return undefined;
  if (groups.length === 1) return groups[0]!.targetGroupArn;
  let draw = random.float() * total;
  for (const group of groups) {
    draw -= group.weight;
    if (draw < 0) return group.targetGroupArn;
  }
  return groups.filter((group) => group.weight > 0).at(-1)!.targetGroupArn;
}

/** The targets of a group that may take a new request or connection (healthy first, else fail open). */
export function routingCandidates(ctx: Elbv2Context, targetGroupArn: string): TargetEndpoint[] {
  const group = ctx.tables.targetGroups.get(targetGroupArn);
  const scope = scopeOfArn(targetGroupArn);
  if (!group || !scope) return [];
  const live: Array<{ endpoint: TargetEndpoint; healthy: boolean }> = [];
  for (const target of targetsOf(ctx.tables, targetGroupArn)) {
    if (target.drain) continue;
    let address = target.id;
    if (group.targetType === 'instance') {
      const state = ctx.ports.instances.instanceState(scope, target.id);
      if (state !== undefined && state !== 'running') continue;
      address = ctx.ports.instances.addressOf(scope, target.id) ?? UNREACHABLE_TARGET_ADDRESS;
    }
    live.push({
      endpoint: { targetGroupArn, id: target.id, address, port: target.port },
      healthy: target.health === 'healthy',
    });
  }
  const healthy = live.filter((entry) => entry.healthy);
  return (healthy.length > 0 ? healthy : live).map((entry) => entry.endpoint);
}

export function createRouting(ctx: Elbv2Context, random: Random): RoutingApi {
  const forward = (action: ActionRecord & { type: 'forward' }) => {
    const targetGroupArn = chooseTargetGroup(action.targetGroups, random);
    if (targetGroupArn === undefined) return undefined;
    const candidates = routingCandidates(ctx, targetGroupArn);
    return candidates.length > 0 ? { targetGroupArn, candidates } : undefined;
  };

  return {
    routeHttp(listenerArn: string, request: HttpRequestInfo): HttpRouteDecision {
      const listener = ctx.tables.listeners.get(listenerArn);
      if (!listener) return { kind: 'no-targets' };
      const rules = rulesOfListener(ctx, listenerArn).sort(byPriority);
      const action = (firstMatchingRule(rules, request)?.actions ?? listener.defaultActions)[0];
      switch (action?.type) {
        case 'forward': {
          const chosen = forward(action);
          if (!chosen) return { kind: 'no-targets' };
          const group = ctx.tables.targetGroups.get(chosen.targetGroupArn);
          const algorithm = (group?.attributes['load_balancing.algorithm.type'] ?? 'round_robin') as Algorithm;
          return { kind: 'forward', ...chosen, algorithm };
        }
        case 'redirect':
          return {
            kind: 'redirect',
            statusCode: action.redirect.statusCode === 'HTTP_301' ? 301 : 302,
            location: redirectLocation(action.redirect, {
              protocol: listener.protocol,
              host: hostName(request.headers),
              port: listener.port,
              path: request.path,
              query: request.query.toString(),
            }),
          };
        case 'fixed-response':
          return {
            kind: 'fixed-response',
            statusCode: Number(action.fixedResponse.statusCode),
            ...(action.fixedResponse.contentType !== undefined
              ? { contentType: action.fixedResponse.contentType }
              : {}),
            ...(action.fixedResponse.messageBody !== undefined ? { body: action.fixedResponse.messageBody } : {}),
          };
        default:
          return { kind: 'no-targets' };
      }
    },

    routeTcp(listenerArn: string): TcpRouteDecision {
      const listener = ctx.tables.listeners.get(listenerArn);
      const action = listener?.defaultActions[0];
      if (action?.type !== 'forward') return { kind: 'no-targets' };
      const chosen = forward(action);
      return chosen ? { kind: 'forward', ...chosen } : { kind: 'no-targets' };
    },
  };
}
