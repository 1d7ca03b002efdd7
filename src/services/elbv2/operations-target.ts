/**
 * ELBv2 wire adapter for targets: RegisterTargets, DeregisterTargets (C.4) and
 * DescribeTargetHealth (C.1). The rules live in registration.ts, shared with the Auto Scaling and
 * ECS ports.
 */
import type { RequestContext } from '../../kernel/operation.js';
import { requireTargetGroup, scopeOf, type Elbv2Context } from './context.js';
import { deregisterTargets, describeTargetHealth, registerTargets, type TargetInput } from './registration.js';

interface WireTarget {
  Id: string;
  Port?: number;
  AvailabilityZone?: string;
}

function targetsFromWire(targets: readonly WireTarget[] | undefined): TargetInput[] {
  return (targets ?? []).map((target) => ({
    id: target.Id,
    ...(target.Port !== undefined ? { port: target.Port } : {}),
    ...(target.AvailabilityZone !== undefined ? { availabilityZone: target.AvailabilityZone } : {}),
  }));
}

export function targetOperations(ctx: Elbv2Context) {
  return {
    RegisterTargets: (input: { TargetGroupArn: string; Targets: WireTarget[] }, request: RequestContext) => {
      const scope = scopeOf(request);
      registerTargets(ctx, scope, requireTargetGroup(ctx, scope, input.TargetGroupArn), targetsFromWire(input.Targets));
      return {};
    },

    DeregisterTargets: (input: { TargetGroupArn: string; Targets: WireTarget[] }, request: RequestContext) => {
      const scope = scopeOf(request);
      deregisterTargets(
        ctx,
        scope,
        requireTargetGroup(ctx, scope, input.TargetGroupArn),
        targetsFromWire(input.Targets),
      );
      return {};
    },

    DescribeTargetHealth: (input: { TargetGroupArn: string; Targets?: WireTarget[] }, request: RequestContext) => {
      const scope = scopeOf(request);
      const group = requireTargetGroup(ctx, scope, input.TargetGroupArn);
      return {
        TargetHealthDescriptions: describeTargetHealth(
          ctx,
          scope,
          group,
          input.Targets ? targetsFromWire(input.Targets) : undefined,
        ),
      };
    },
  };
}
