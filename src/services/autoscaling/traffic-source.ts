/**
 * ELBv2 target groups attached to a group (TargetGroupARNs, Attach/DetachLoadBalancerTargetGroups,
 * Attach/Detach/DescribeTrafficSources of type `elbv2`). An attachment is `Adding` until the
 * controller has registered the group's instances, `Added` after; a detached one is `Removing`
 * until its instances are deregistered and drained, then it disappears (`M:asg` states).
 */
import type { LoadBalancerTargetGroupState, TrafficSourceState } from '@aws-sdk/client-auto-scaling';
import { validationError } from './errors.js';

export type AttachmentState = 'Adding' | 'Added' | 'Removing';

export interface TargetGroupAttachment {
  targetGroupArn: string;
  state: AttachmentState;
}

/** AWS allows 50 target groups per group and 10 per Attach/Detach call (quotas page). */
export const MAX_TARGET_GROUPS_PER_GROUP = 50;
export const MAX_TARGET_GROUPS_PER_CALL = 10;
export const ELBV2_TRAFFIC_SOURCE = 'elbv2';

export function attach(current: readonly TargetGroupAttachment[], arns: readonly string[]): TargetGroupAttachment[] {
  const out = current.map((attachment) =>
    // Attaching again a target group being removed takes it back.
    arns.includes(attachment.targetGroupArn) && attachment.state === 'Removing'
      ? { ...attachment, state: 'Adding' as const }
      : attachment,
  );
  for (const arn of arns) {
    if (!out.some((attachment) => attachment.targetGroupArn === arn))
      out.push({ targetGroupArn: arn, state: 'Adding' });
  }
  return out;
}

export function detach(current: readonly TargetGroupAttachment[], arns: readonly string[]): TargetGroupAttachment[] {
  return current.map((attachment) =>
    arns.includes(attachment.targetGroupArn) ? { ...attachment, state: 'Removing' as const } : attachment,
  );
}

/** Target groups new instances register with. */
export function activeTargetGroups(attachments: readonly TargetGroupAttachment[]): string[] {
  return attachments.filter((attachment) => attachment.state !== 'Removing').map((a) => a.targetGroupArn);
}

/** Traffic sources must name an ELBv2 target group: other types (VPC Lattice, classic ELB) are not served. */
export function targetGroupArnsOfTrafficSources(
  sources: ReadonlyArray<{ Identifier?: string; Type?: string }>,
): string[] {
  return sources.map((source) => {
    const type = source.Type ?? ELBV2_TRAFFIC_SOURCE;
    if (type !== ELBV2_TRAFFIC_SOURCE) {
      throw validationError(`drydock supports traffic sources of type elbv2 only, not ${type}.`);
    }
    return source.Identifier ?? '';
  });
}

export function toLoadBalancerTargetGroupState(attachment: TargetGroupAttachment): LoadBalancerTargetGroupState {
  return { LoadBalancerTargetGroupARN: attachment.targetGroupArn, State: attachment.state };
}

export function toTrafficSourceState(attachment: TargetGroupAttachment): TrafficSourceState {
  return {
    TrafficSource: attachment.targetGroupArn,
    State: attachment.state,
    Identifier: attachment.targetGroupArn,
    Type: ELBV2_TRAFFIC_SOURCE,
  };
}
