/**
 * StartInstanceRefresh's preferences (`M:asg` RefreshPreferences; defaults from
 * `UG:asg/understand-instance-refresh-default-values`): AWS's rules between members, and the
 * defaults filled in — MinHealthyPercentage 90, MaxHealthyPercentage 100, InstanceWarmup from the
 * group's DefaultInstanceWarmup else its HealthCheckGracePeriod, CheckpointDelay 3600 when
 * checkpoints are given, ScaleInProtectedInstances and StandbyInstances `Wait`. The model's own
 * ranges are checked again here so that a call that skipped the gateway gets the same answer.
 * Messages marked UNCONFIRMED are best guesses in AWS's style.
 */
import type { RefreshPreferences } from '@aws-sdk/client-auto-scaling';
import { validationError } from './errors.js';
import type { AutoScalingGroupRecord } from './group.js';
import type { RefreshPreferencesRecord, ScaleInProtectedInstances, StandbyInstances } from './instance-refresh.js';

export const DEFAULT_MIN_HEALTHY_PERCENTAGE = 90;
export const DEFAULT_MAX_HEALTHY_PERCENTAGE = 100;
export const DEFAULT_CHECKPOINT_DELAY_S = 3600;
export const MAX_CHECKPOINT_DELAY_S = 172_800;
export const MAX_BAKE_TIME_S = 172_800;

const PROTECTED_CHOICES: readonly ScaleInProtectedInstances[] = ['Refresh', 'Ignore', 'Wait'];
const STANDBY_CHOICES: readonly StandbyInstances[] = ['Terminate', 'Ignore', 'Wait'];

/** Coral's words for a member outside the model's range (as the gateway's validation says it). */
function outOfRange(member: string, value: number, bound: string): Error {
  return validationError(
    `1 validation error detected: Value '${value}' at 'preferences.${member}' failed to satisfy constraint: Member must have value ${bound}`,
  );
}

function checkRange(member: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (value < min) throw outOfRange(member, value, `greater than or equal to ${min}`);
  if (value > max) throw outOfRange(member, value, `less than or equal to ${max}`);
}

export function resolvePreferences(
  group: AutoScalingGroupRecord,
  input: RefreshPreferences | undefined,
): RefreshPreferencesRecord {
  const prefs = input ?? {};
  checkRange('minHealthyPercentage', prefs.MinHealthyPercentage, 0, 100);
  checkRange('maxHealthyPercentage', prefs.MaxHealthyPercentage, 100, 200);
  checkRange('instanceWarmup', prefs.InstanceWarmup, 0, Number.MAX_SAFE_INTEGER);
  checkRange('checkpointDelay', prefs.CheckpointDelay, 0, MAX_CHECKPOINT_DELAY_S);
  checkRange('bakeTime', prefs.BakeTime, 0, MAX_BAKE_TIME_S);
  for (const percentage of prefs.CheckpointPercentages ?? []) checkRange('checkpointPercentages', percentage, 1, 100);

  if (prefs.MaxHealthyPercentage !== undefined && prefs.MinHealthyPercentage === undefined) {
    // The rule is the model's ("Both … must be specified"); the wording is UNCONFIRMED.
    throw validationError('MinHealthyPercentage must be specified when MaxHealthyPercentage is specified.');
  }
  const min = prefs.MinHealthyPercentage ?? DEFAULT_MIN_HEALTHY_PERCENTAGE;
  const max = prefs.MaxHealthyPercentage ?? DEFAULT_MAX_HEALTHY_PERCENTAGE;
  if (max - min > 100) {
    // UNCONFIRMED wording; the rule is the model's ("the difference between them cannot be greater than 100").
    throw validationError(
      `The difference between MaxHealthyPercentage (${max}) and MinHealthyPercentage (${min}) cannot be greater than 100.`,
    );
  }

  const checkpoints = [...(prefs.CheckpointPercentages ?? [])];
  for (let index = 1; index < checkpoints.length; index += 1) {
    if (checkpoints[index]! <= checkpoints[index - 1]!) {
      // UNCONFIRMED wording; the rule (ascending, unique) is the API reference's.
      throw validationError('CheckpointPercentages values must be unique and in ascending order.');
    }
  }
  if (prefs.CheckpointDelay !== undefined && checkpoints.length === 0) {
    // The API reference: "if you specify a value for CheckpointDelay, you must also specify a value
    // for CheckpointPercentages". UNCONFIRMED wording.
    throw validationError('CheckpointPercentages must be specified when CheckpointDelay is specified.');
  }

  const protectedChoice = (prefs.ScaleInProtectedInstances ?? 'Wait') as ScaleInProtectedInstances;
  if (!PROTECTED_CHOICES.includes(protectedChoice)) {
    throw validationError(`Invalid value for ScaleInProtectedInstances: ${protectedChoice}`);
  }
  const standbyChoice = (prefs.StandbyInstances ?? 'Wait') as StandbyInstances;
  if (!STANDBY_CHOICES.includes(standbyChoice)) {
    throw validationError(`Invalid value for StandbyInstances: ${standbyChoice}`);
  }
  if (prefs.AutoRollback) {
    // Rolling back needs RollbackInstanceRefresh, which drydock does not implement yet.
    throw validationError('drydock does not support AutoRollback for instance refreshes yet.');
  }
  if ((prefs.AlarmSpecification?.Alarms ?? []).length > 0) {
    // CloudWatch alarms are not served by drydock, so none can be watched.
    throw validationError('drydock does not support AlarmSpecification for instance refreshes yet.');
  }

  const resolved: RefreshPreferencesRecord = {
    minHealthyPercentage: min,
    maxHealthyPercentage: max,
    // The group's DefaultInstanceWarmup when set, else its HealthCheckGracePeriod (A.8).
    instanceWarmupS: prefs.InstanceWarmup ?? group.defaultInstanceWarmupS ?? group.healthCheckGracePeriodS,
    checkpointPercentages: checkpoints,
    skipMatching: prefs.SkipMatching ?? false,
    scaleInProtectedInstances: protectedChoice,
    standbyInstances: standbyChoice,
  };
  if (checkpoints.length > 0) resolved.checkpointDelayS = prefs.CheckpointDelay ?? DEFAULT_CHECKPOINT_DELAY_S;
  if (prefs.BakeTime !== undefined) resolved.bakeTimeS = prefs.BakeTime;
  return resolved;
}
