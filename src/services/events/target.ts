/**
 * A rule's targets (`M:ev` Target) are kept as PutTargets gave them, in the order they were first
 * put (a later PutTargets with the same Id replaces that target in place), so ListTargetsByRule
 * returns exactly what was set. At most 5 per rule (`UG:eb/eb-quota`).
 */
import type { InputTransformer } from './target-input.js';

export const MAX_TARGETS_PER_RULE = 5;

/** AWS's default retry policy (`M:ev` RetryPolicy). */
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 185;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 86_400;

export interface TargetRecord {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformer;
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  DeadLetterConfig?: { Arn?: string };
  SqsParameters?: { MessageGroupId?: string };
  /** EcsParameters, HttpParameters, …: kept and returned, not acted on. */
  [member: string]: unknown;
}

/** Puts targets into a list: same Id replaces in place, new ones are appended. */
export function mergeTargets(existing: readonly TargetRecord[], incoming: readonly TargetRecord[]): TargetRecord[] {
  const merged = [...existing];
  for (const target of incoming) {
    const index = merged.findIndex((candidate) => candidate.Id === target.Id);
    if (index >= 0) merged[index] = target;
    else merged.push(target);
  }
  return merged;
}
