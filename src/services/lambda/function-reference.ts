/**
 * How Lambda names a function in `FunctionName`: a bare name (`my-function`), a partial ARN
 * (`123456789012:function:my-function`) or a full ARN, each optionally qualified with `:<version>`,
 * `:$LATEST` or `:<alias>`; a separate `Qualifier` may say the same thing, and must agree. ARNs
 * are `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`.
 */
import { invalidParameter } from './errors.js';
import type { LambdaScope } from './ports.js';

export const LATEST = '$LATEST';

export interface FunctionReference {
  name: string;
  qualifier?: string;
  /** From an ARN; undefined for a bare name (the caller's scope applies). */
  accountId?: string;
  region?: string;
}

export interface ResolvedReference {
  scope: LambdaScope;
  name: string;
  qualifier?: string;
}

const NAME = '[a-zA-Z0-9_-]{1,64}';
const QUALIFIER = '\\$LATEST|[a-zA-Z0-9_-]{1,128}';
const FULL = new RegExp(`^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\\d{12}):function:(${NAME})(?::(${QUALIFIER}))?$`);
const PARTIAL = new RegExp(`^(\\d{12}):function:(${NAME})(?::(${QUALIFIER}))?$`);
const BARE = new RegExp(`^(${NAME})(?::(${QUALIFIER}))?$`);

/** The parts of a FunctionName value, or undefined when it is none of Lambda's forms. */
export function parseFunctionReference(text: string): FunctionReference | undefined {
  const full = FULL.exec(text);
  if (full) return withQualifier({ region: full[1]!, accountId: full[2]!, name: full[3]! }, full[4]);
  const partial = PARTIAL.exec(text);
  if (partial) return withQualifier({ accountId: partial[1]!, name: partial[2]! }, partial[3]);
  const bare = BARE.exec(text);
  if (bare) return withQualifier({ name: bare[1]! }, bare[2]);
  return undefined;
}

function withQualifier(reference: FunctionReference, qualifier: string | undefined): FunctionReference {
  return qualifier === undefined ? reference : { ...reference, qualifier };
}

/**
 * The function a request names, in the scope its ARN gives (else the caller's), with the
 * qualifier from the name or from `Qualifier`; throws InvalidParameterValueException when the
 * two disagree or the name is malformed.
 */
export function resolveReference(scope: LambdaScope, functionName: string, qualifier?: string): ResolvedReference {
  const reference = parseFunctionReference(functionName);
  if (!reference) throw invalidParameter(`Invalid function name: ${functionName}`);
  if (reference.qualifier !== undefined && qualifier !== undefined && reference.qualifier !== qualifier) {
    throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
  }
  const effective = reference.qualifier ?? qualifier;
  return {
    scope: { accountId: reference.accountId ?? scope.accountId, region: reference.region ?? scope.region },
    name: reference.name,
    ...(effective !== undefined ? { qualifier: effective } : {}),
  };
}

export function functionArn(scope: LambdaScope, name: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${scope.region}:${scope.accountId}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}

/** A published version number (`1`, `42`), as opposed to `$LATEST` or an alias name. */
export function isVersionNumber(qualifier: string): boolean {
  return /^[0-9]+$/.test(qualifier);
}
