/**
 * EC2's Describe* filters: a resource matches when every filter matches, and a filter matches
 * when any of its values matches any value the resource has under that name. Values may use the
 * wildcards `*` (any run of characters) and `?` (one character), `\` escaping them, as the EC2 API
 * Reference says for filters. Tag filters (`tag:<key>`, `tag-key`, `tag-value`) work on any
 * resource that has tags; an unknown filter name is refused as EC2 refuses it.
 */
import type { Filter, Tag } from '@aws-sdk/client-ec2';
import { invalidFilter } from './errors.js';

/** Filter name → the values a resource has under it (booleans and numbers as EC2 writes them). */
export type FilterFields<T> = Readonly<
  Record<string, (item: T) => ReadonlyArray<string | number | boolean | undefined>>
>;

/** A filter value as a matcher; plain values compare exactly, wildcard values by pattern. */
export function valueMatcher(pattern: string): (value: string) => boolean {
  if (!/[*?\\]/.test(pattern)) return (value) => value === pattern;
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index]!;
    if (char === '\\' && index + 1 < pattern.length) {
      index += 1;
      source += escapeRegExp(pattern[index]!);
    } else if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else source += escapeRegExp(char);
  }
  const regex = new RegExp(`^${source}$`);
  return (value) => regex.test(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function tagValues(name: string, tags: readonly Tag[]): string[] | undefined {
  if (name === 'tag-key') return tags.map((tag) => tag.Key ?? '');
  if (name === 'tag-value') return tags.map((tag) => tag.Value ?? '');
  if (name.startsWith('tag:')) {
    const key = name.slice('tag:'.length);
    return tags.filter((tag) => tag.Key === key).map((tag) => tag.Value ?? '');
  }
  return undefined;
}

/**
 * The items that pass every filter. `tagsOf` enables the tag filters; names neither in `fields`
 * nor tag filters throw InvalidParameterValue before anything is matched.
 */
export function applyFilters<T>(
  items: readonly T[],
  filters: readonly Filter[] | undefined,
  fields: FilterFields<T>,
  tagsOf?: (item: T) => readonly Tag[],
): T[] {
  if (!filters || filters.length === 0) return [...items];
  const compiled = filters.map((filter) => {
    const name = filter.Name ?? '';
    const isTag = tagsOf !== undefined && (name === 'tag-key' || name === 'tag-value' || name.startsWith('tag:'));
    const field = fields[name];
    if (!isTag && !field) throw invalidFilter(name);
    const matchers = (filter.Values ?? []).map(valueMatcher);
    const valuesOf = (item: T): string[] =>
      isTag
        ? (tagValues(name, tagsOf!(item)) ?? [])
        : field!(item)
            .filter((value) => value !== undefined)
            .map(String);
    return (item: T) => {
      const values = valuesOf(item);
      return matchers.some((match) => values.some(match));
    };
  });
  return items.filter((item) => compiled.every((matches) => matches(item)));
}
