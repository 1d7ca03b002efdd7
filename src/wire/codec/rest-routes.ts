/**
 * restJson1 routing: each operation's `http.method` and `requestUri` template
 * (`/2015-03-31/functions/{FunctionName}/invocations`, `{Key+}` greedy labels, literal query parts
 * such as `?versions`) compiled to a regular expression, and a request matched to the most
 * specific route of its method, as AWS's front end prefers literal segments over labels.
 */
import type { OperationModel, ServiceModel } from '../model.js';
import type { WireRequest } from '../protocol.js';
import { inputBindings } from './http-bindings.js';
import type { MemberPlan } from './json-members.js';

export interface Route {
  operation: OperationModel;
  pattern: RegExp;
  /** The members of the URI labels, in capture-group order (undefined: a label the input does not model). */
  labels: Array<MemberPlan | undefined>;
  /** Literal query parts of the requestUri (`?versions`, `?find=LayerVersion`): undefined value = key present. */
  queryLiterals: [string, string | undefined][];
  specificity: number[];
}

/** The routes of each HTTP method (upper-cased), most specific first. */
export type RouteTable = Map<string, Route[]>;

export interface RouteMatch {
  route: Route;
  /** The URI labels' captures, still percent-encoded, at `match[i + 1]` for `route.labels[i]`. */
  match: RegExpExecArray;
}

export function compileRoutes(model: ServiceModel): RouteTable {
  const routesByMethod: RouteTable = new Map();
  for (const operation of Object.values(model.operations)) {
    const route = compileRoute(model, operation);
    const method = operation.http.method.toUpperCase();
    let routes = routesByMethod.get(method);
    if (!routes) routesByMethod.set(method, (routes = []));
    routes.push(route);
  }
  for (const routes of routesByMethod.values()) routes.sort((a, b) => compareSpecificity(b.specificity, a.specificity));
  return routesByMethod;
}

export function matchRoute(table: RouteTable, request: WireRequest): RouteMatch | undefined {
  const routes = table.get(request.method.toUpperCase());
  if (!routes) return undefined;
  for (const route of routes) {
    const match = route.pattern.exec(request.path);
    if (!match) continue;
    let queryMatches = true;
    for (const [key, value] of route.queryLiterals) {
      const actual = request.query.get(key);
      if (actual === null || (value !== undefined && actual !== value)) {
        queryMatches = false;
        break;
      }
    }
    if (queryMatches) return { route, match };
  }
  return undefined;
}

function compareSpecificity(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compileRoute(model: ServiceModel, operation: OperationModel): Route {
  const [pathTemplate = '/', queryTemplate] = operation.http.requestUri.split('?', 2);
  const bindings = inputBindings(model, operation);
  const labels: Array<MemberPlan | undefined> = [];
  let literalSegments = 0;
  let literalChars = 0;
  let greedy = 0;
  const source = pathTemplate
    .replace(/\/+$/, '')
    .split('/')
    .map((segment) => {
      let hasLabel = false;
      const compiled = segment.replace(
        /\{([^}]+?)(\+?)\}|([^{]+)/g,
        (_match, label?: string, plus?: string, text?: string) => {
          if (text !== undefined) {
            literalChars += text.length;
            return escapeRegExp(text);
          }
          hasLabel = true;
          labels.push(bindings?.uri.find((m) => m.wire === label));
          if (plus) greedy++;
          return plus ? '(.+)' : '([^/]+)';
        },
      );
      if (!hasLabel && segment !== '') literalSegments++;
      return compiled;
    })
    .join('/');
  const queryLiterals: [string, string | undefined][] = [];
  for (const part of (queryTemplate ?? '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    queryLiterals.push(eq < 0 ? [part, undefined] : [part.slice(0, eq), part.slice(eq + 1)]);
  }
  return {
    operation,
    // A trailing slash is accepted either way: SDKs differ on whether they send one.
    pattern: new RegExp(`^${source}/?$`),
    labels,
    queryLiterals,
    specificity: [literalSegments, -greedy, queryLiterals.length, literalChars],
  };
}
