/**
 * Which rule an HTTP request matches (`UG:alb/load-balancer-listeners`): rules in priority order,
 * lowest first, the default rule last. A rule matches when every condition does; a condition
 * matches when any of its values does. Wildcards: `*` is any run of characters, `?` exactly one.
 * Path patterns and request methods are case-sensitive; host names, header values and query
 * strings are not. Pure: no store, no clock.
 */
import type { HttpRequestInfo } from './ports.js';
import { cidrContains, parseCidr } from './ip-range.js';
import type { ConditionRecord } from './rule-condition.js';

const patterns = new Map<string, RegExp>();

/** AWS's wildcard match of a whole string. */
export function wildcardMatch(pattern: string, text: string, caseInsensitive: boolean): boolean {
  const key = `${caseInsensitive ? 'i' : 's'}:${pattern}`;
  let regex = patterns.get(key);
  if (!regex) {
    const source = pattern
      .split('')
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's');
    if (patterns.size > 10_000) patterns.clear();
    patterns.set(key, regex);
  }
  return regex.test(text);
}

/** The Host header without its port. */
export function hostName(headers: Record<string, string>): string {
  const host = headers.host ?? '';
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.indexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

export function conditionMatches(condition: ConditionRecord, request: HttpRequestInfo): boolean {
  switch (condition.field) {
    case 'path-pattern':
      return condition.values.some((value) => wildcardMatch(value, request.path, false));
    case 'host-header': {
      const host = hostName(request.headers);
      return condition.values.some((value) => wildcardMatch(value, host, true));
    }
    case 'http-header': {
      const header = request.headers[condition.headerName.toLowerCase()];
      return header !== undefined && condition.values.some((value) => wildcardMatch(value, header, true));
    }
    case 'http-request-method':
      return condition.values.includes(request.method);
    case 'query-string': {
      const pairs = [...request.query.entries()];
      return condition.values.some((wanted) =>
        pairs.some(
          ([key, value]) =>
            (wanted.key === undefined || wildcardMatch(wanted.key, key, true)) &&
            wildcardMatch(wanted.value, value, true),
        ),
      );
    }
    case 'source-ip':
      return condition.values.some((value) => {
        const cidr = parseCidr(value);
        return cidr !== undefined && cidrContains(cidr, request.sourceIp);
      });
  }
}

export function ruleMatches(conditions: readonly ConditionRecord[], request: HttpRequestInfo): boolean {
  return conditions.every((condition) => conditionMatches(condition, request));
}

/** The first rule (rules sorted by priority) whose conditions all hold; undefined → the default rule. */
export function firstMatchingRule<R extends { conditions: readonly ConditionRecord[] }>(
  rulesByPriority: readonly R[],
  request: HttpRequestInfo,
): R | undefined {
  return rulesByPriority.find((rule) => ruleMatches(rule.conditions, request));
}
