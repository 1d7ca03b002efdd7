/**
 * The JSONPath subset EventBridge accepts in a target's InputPath and in InputTransformer's
 * InputPathsMap (`UG:eb/eb-transform-target-input`): `$`, `$.detail.instance-id` (dotted members,
 * dashes allowed), `$['name']`, `$.resources[0]`, and `[*]` / `.*` wildcards, which gather every
 * match into an array.
 */
import { isJsonObject, type JsonValue } from './json-text.js';

export type PathSegment = { kind: 'member'; name: string } | { kind: 'index'; index: number } | { kind: 'all' };

/** The segments of a path, or undefined when it is not one drydock can follow. */
export function parseJsonPath(path: string): PathSegment[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const segments: PathSegment[] = [];
  let index = 1;
  while (index < path.length) {
    const c = path.charAt(index);
    if (c === '.') {
      if (path.charAt(index + 1) === '*') {
        segments.push({ kind: 'all' });
        index += 2;
        continue;
      }
      const match = /^[^.[\]]+/.exec(path.slice(index + 1));
      if (!match) return undefined;
      segments.push({ kind: 'member', name: match[0] });
      index += 1 + match[0].length;
    } else if (c === '[') {
      const rest = path.slice(index);
      const quoted = /^\[\s*(['"])((?:\\.|(?!\1).)*)\1\s*\]/.exec(rest);
      const numbered = /^\[\s*(\d+)\s*\]/.exec(rest);
      const star = /^\[\s*\*\s*\]/.exec(rest);
      if (quoted) {
        segments.push({ kind: 'member', name: quoted[2]!.replace(/\\(.)/g, '$1') });
        index += quoted[0].length;
      } else if (numbered) {
        segments.push({ kind: 'index', index: Number(numbered[1]) });
        index += numbered[0].length;
      } else if (star) {
        segments.push({ kind: 'all' });
        index += star[0].length;
      } else {
        return undefined;
      }
    } else {
      return undefined;
    }
  }
  return segments;
}

/** What the path selects in value: undefined when nothing is there. */
export function selectJsonPath(segments: readonly PathSegment[], value: JsonValue): JsonValue | undefined {
  let current: JsonValue[] = [value];
  let gathering = false;
  for (const segment of segments) {
    const next: JsonValue[] = [];
    for (const item of current) {
      if (segment.kind === 'member') {
        const member = isJsonObject(item) ? item.get(segment.name) : undefined;
        if (member !== undefined) next.push(member);
      } else if (segment.kind === 'index') {
        const element = Array.isArray(item) ? item[segment.index] : undefined;
        if (element !== undefined) next.push(element);
      } else {
        gathering = true;
        if (Array.isArray(item)) next.push(...item);
        else if (isJsonObject(item)) next.push(...item.values());
      }
    }
    current = next;
  }
  if (gathering) return current;
  return current[0];
}
