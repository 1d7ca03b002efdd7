/**
 * A compiled EventBridge event pattern (`UG:eb/eb-event-patterns`, aws-semantics.md E.2): the
 * pattern's own shape, an object node per object in the pattern, with each leaf's array of
 * allowed values turned into matchers. Sibling fields AND, a leaf's matchers OR, and a node's
 * `$or` branches OR. Built by pattern-compiler.ts, evaluated by pattern-matcher.ts.
 */
import type { IpAddress, IpRange } from './ip-address.js';

export interface PatternNode {
  fields: Array<[name: string, pattern: FieldPattern]>;
  /** The branches of this object's `$or`, each matched against the same object. */
  or?: PatternNode[];
}

export type FieldPattern = { kind: 'object'; node: PatternNode } | { kind: 'leaf'; matchers: ValueMatcher[] };

export interface NumericBound {
  value: number;
  inclusive: boolean;
}

export type ValueMatcher =
  | { type: 'string'; value: string; ip?: IpAddress }
  | { type: 'number'; text: string }
  | { type: 'literal'; value: boolean | null }
  | { type: 'prefix'; value: string; ignoreCase: boolean }
  | { type: 'suffix'; value: string; ignoreCase: boolean }
  | { type: 'equals-ignore-case'; value: string }
  | { type: 'wildcard'; regex: RegExp }
  | { type: 'numeric'; lower?: NumericBound; upper?: NumericBound }
  | { type: 'cidr'; range: IpRange }
  | { type: 'exists'; value: boolean }
  | { type: 'anything-but'; strings: ReadonlySet<string> }
  | { type: 'anything-but-numbers'; values: readonly number[] }
  | { type: 'anything-but-prefix'; values: readonly string[] }
  | { type: 'anything-but-suffix'; values: readonly string[] }
  | { type: 'anything-but-ignore-case'; values: readonly string[] }
  | { type: 'anything-but-wildcard'; regexes: readonly RegExp[] };

export interface EventPattern {
  /** The pattern text as the caller gave it (DescribeRule returns it unchanged). */
  text: string;
  root: PatternNode;
}
