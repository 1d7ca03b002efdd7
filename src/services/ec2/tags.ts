/**
 * EC2 resource tags: at most 50 per resource, keys unique, keys starting with `aws:` reserved for
 * AWS itself (Auto Scaling's `aws:autoscaling:groupName`, launch templates'
 * `aws:ec2launchtemplate:id`), tags given at creation through TagSpecifications, and DeleteTags'
 * rule that a tag named without a value goes whatever its value, one named with a value only if
 * the value matches (EC2 API Reference, CreateTags / DeleteTags).
 */
import type { Tag, TagSpecification } from '@aws-sdk/client-ec2';
import { invalidParameterValue, reservedTagKey, tagLimitExceeded } from './errors.js';

export interface ResourceTag {
  Key: string;
  Value: string;
}

export const MAX_TAGS_PER_RESOURCE = 50;

/** Tags a caller asks for; `aws:` keys are refused (AWS writes those itself). */
export function userTags(tags: readonly Tag[] | undefined): ResourceTag[] {
  const out: ResourceTag[] = [];
  for (const tag of tags ?? []) {
    const key = tag.Key ?? '';
    if (key.toLowerCase().startsWith('aws:')) throw reservedTagKey();
    if (key.length === 0 || key.length > 128) {
      throw invalidParameterValue(`Tag key must be between 1 and 128 characters, got '${key}'`);
    }
    if ((tag.Value ?? '').length > 256)
      throw invalidParameterValue(`Tag value for key '${key}' exceeds 256 characters`);
    out.push({ Key: key, Value: tag.Value ?? '' });
  }
  return out;
}

/** The tags TagSpecifications give one resource type (`instance`, `launch-template`, …). */
export function tagsFor(specifications: readonly TagSpecification[] | undefined, resourceType: string): ResourceTag[] {
  return userTags(
    (specifications ?? []).filter((spec) => spec.ResourceType === resourceType).flatMap((spec) => spec.Tags ?? []),
  );
}

/** Adds or overwrites tags by key, keeping the order in which keys first appeared. */
export function mergeTags(existing: readonly ResourceTag[], added: readonly ResourceTag[]): ResourceTag[] {
  const byKey = new Map(existing.map((tag) => [tag.Key, tag.Value]));
  for (const tag of added) byKey.set(tag.Key, tag.Value);
  if (byKey.size > MAX_TAGS_PER_RESOURCE) throw tagLimitExceeded();
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

export function removeTags(existing: readonly ResourceTag[], removed: readonly Tag[]): ResourceTag[] {
  return existing.filter(
    (tag) => !removed.some((gone) => gone.Key === tag.Key && (gone.Value === undefined || gone.Value === tag.Value)),
  );
}

export function tagRecord(tags: readonly ResourceTag[]): Record<string, string> {
  return Object.fromEntries(tags.map((tag) => [tag.Key, tag.Value]));
}
