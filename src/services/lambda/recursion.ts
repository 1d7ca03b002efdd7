/**
 * Following recursive loops the way Lambda does: by lineage carried in the X-Ray trace header.
 * Each invocation gets `_X_AMZN_TRACE_ID` = `Root=…;Parent=…;Sampled=0;Lineage=<fn>:<n>|…`, where
 * `<fn>` is 8 hex digits of a hash of the function's ARN and `<n>` how many times that function
 * already ran in this chain. The AWS SDKs (JS v3, botocore) send that value as `X-Amzn-Trace-Id`
 * on every call the function makes, and a service that delivers the result to Lambda again (SNS
 * Publish → subscription, PutEvents → rule target) hands it back through `invokeAsync`. Lambda
 * stops a chain after about 16 invocations when the function's RecursiveLoop is `Terminate`.
 * drydock's default is `Allow` (see service.ts): loops run on, as long drain functions need.
 */
import { createHash } from 'node:crypto';
import type { Random } from '../../kernel/random.js';

/** "Lambda detects a loop after approximately 16 invocations" (UG:lambda/invocation-recursion). */
export const RECURSION_LIMIT = 16;

export interface TraceContext {
  root: string;
  lineage: Map<string, number>;
}

/** The Root and Lineage of an `X-Amzn-Trace-Id` value; undefined when there is no Root. */
export function parseTraceHeader(header: string | undefined): TraceContext | undefined {
  if (header === undefined) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.split(';')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const root = fields.get('Root');
  if (root === undefined || root === '') return undefined;
  const lineage = new Map<string, number>();
  for (const entry of (fields.get('Lineage') ?? '').split('|')) {
    const match = /^([0-9a-f]{8}):(\d+)$/.exec(entry);
    if (match) lineage.set(match[1]!, Number(match[2]));
  }
  return { root, lineage };
}

export function lineageKey(functionArn: string): string {
  return createHash('sha256').update(functionArn).digest('hex').slice(0, 8);
}

/** How many times functionArn already ran in the chain the header belongs to. */
export function chainDepth(header: string | undefined, functionArn: string): number {
  return parseTraceHeader(header)?.lineage.get(lineageKey(functionArn)) ?? 0;
}

/** The trace header one invocation of functionArn runs with: the caller's chain plus this step. */
export function invocationTraceHeader(
  incoming: string | undefined,
  functionArn: string,
  random: Random,
  nowMs: number,
): string {
  const context = parseTraceHeader(incoming) ?? {
    root: `1-${Math.floor(nowMs / 1000)
      .toString(16)
      .padStart(8, '0')}-${random.hex(24)}`,
    lineage: new Map<string, number>(),
  };
  const key = lineageKey(functionArn);
  const lineage = new Map(context.lineage);
  lineage.set(key, (lineage.get(key) ?? 0) + 1);
  const text = [...lineage].map(([fn, count]) => `${fn}:${count}`).join('|');
  return `Root=${context.root};Parent=${random.hex(16)};Sampled=0;Lineage=${text}`;
}

/** True when running functionArn once more would make it the (RECURSION_LIMIT + 1)th run in one chain. */
export function isRecursiveLoop(incoming: string | undefined, functionArn: string): boolean {
  return chainDepth(incoming, functionArn) >= RECURSION_LIMIT;
}
