/**
 * The form parameters of a query-protocol request (awsQuery and ec2) as a tree: the query string
 * and a form POST body, read the way AWS's query front end reads them (`+` is a space, a key
 * without `=` has the empty value, the body wins over the query string), with `Tags.member.1.Key=k`
 * becoming root → Tags → member → 1 → Key = 'k'.
 */
import { ServiceError } from '../../kernel/service-error.js';
import type { OperationModel, ServiceModel } from '../model.js';
import type { WireRequest } from '../protocol.js';

// Decoding walks the parameters that arrived (few) rather than every member of the input shape
// (EC2's RunInstances has 50), and a list item is present exactly when its index node exists.
export interface ParamNode {
  value?: string;
  children?: Map<string, ParamNode>;
}

/** Reads the query string and, for a form POST, the body, into one parameter tree (body wins). */
export function readQueryParams(request: WireRequest): ParamNode {
  const root: ParamNode = {};
  for (const [key, value] of request.query) addParam(root, key, value);
  if (request.body.length > 0) addFormParams(request.body.toString('utf8'), root);
  return root;
}

function addFormParams(text: string, root: ParamNode): void {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('&', start);
    if (end < 0) end = text.length;
    if (end > start) {
      const eq = text.indexOf('=', start);
      const split = eq >= 0 && eq < end;
      const key = decodeFormComponent(text.slice(start, split ? eq : end));
      addParam(root, key, split ? decodeFormComponent(text.slice(eq + 1, end)) : '');
    }
    start = end + 1;
  }
}

function decodeFormComponent(text: string): string {
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new ServiceError('MalformedQueryString', `The query string contains an invalid percent-encoding: ${text}`);
  }
}

function addParam(root: ParamNode, key: string, value: string): void {
  if (key === '') return;
  let node = root;
  let start = 0;
  for (;;) {
    const dot = key.indexOf('.', start);
    const part = dot < 0 ? key.slice(start) : key.slice(start, dot);
    const children = (node.children ??= new Map());
    let next = children.get(part);
    if (!next) {
      next = {};
      children.set(part, next);
    }
    node = next;
    if (dot < 0) break;
    start = dot + 1;
  }
  node.value = value;
}

/** A top-level parameter such as `Action` or `Version`. */
export function topParam(params: ParamNode, name: string): string | undefined {
  return params.children?.get(name)?.value;
}

/** The numbered children (`1`, `2`, …) of a list or map node, in index order. */
export function indexed(children: Map<string, ParamNode> | undefined): [number, ParamNode][] {
  const items: [number, ParamNode][] = [];
  if (!children) return items;
  let sorted = true;
  for (const [key, child] of children) {
    if (!/^[1-9]\d*$/.test(key)) continue;
    const index = Number(key);
    if (items.length > 0 && index < items[items.length - 1]![0]) sorted = false;
    items.push([index, child]);
  }
  if (!sorted) items.sort((a, b) => a[0] - b[0]);
  return items;
}

/** The operation an `Action` names; own properties only, so `Action=constructor` is no operation. */
export function findOperation(model: ServiceModel, action: string): OperationModel | undefined {
  return Object.hasOwn(model.operations, action) ? model.operations[action] : undefined;
}
