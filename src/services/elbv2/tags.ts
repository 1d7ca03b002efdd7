/**
 * Tags on ELBv2 resources (load balancers, listeners, rules, target groups): kept inside each
 * resource's document, at most 50 per resource, keys unique. AddTags overwrites a key's value;
 * RemoveTags of an absent key is no error.
 */
import { duplicateTagKeys, tooManyTags } from './errors.js';
import { LIMITS } from './limits.js';

export interface TagRecord {
  key: string;
  value: string;
}

export interface WireTag {
  Key?: string;
  Value?: string;
}

export function tagsFromWire(tags: readonly WireTag[] | undefined): TagRecord[] {
  const seen = new Set<string>();
  const out: TagRecord[] = [];
  for (const tag of tags ?? []) {
    const key = tag.Key ?? '';
    if (seen.has(key)) throw duplicateTagKeys(key);
    seen.add(key);
    out.push({ key, value: tag.Value ?? '' });
  }
  if (out.length > LIMITS.tagsPerResource) throw tooManyTags(LIMITS.tagsPerResource);
  return out;
}

export function tagsToWire(tags: readonly TagRecord[]): Array<{ Key: string; Value: string }> {
  return tags.map((tag) => ({ Key: tag.key, Value: tag.value }));
}

export function addTags(current: readonly TagRecord[], added: readonly TagRecord[]): TagRecord[] {
  const byKey = new Map(current.map((tag) => [tag.key, tag.value]));
  for (const tag of added) byKey.set(tag.key, tag.value);
  if (byKey.size > LIMITS.tagsPerResource) throw tooManyTags(LIMITS.tagsPerResource);
  return [...byKey].map(([key, value]) => ({ key, value }));
}

export function removeTags(current: readonly TagRecord[], keys: readonly string[]): TagRecord[] {
  const removed = new Set(keys);
  return current.filter((tag) => !removed.has(tag.key));
}
