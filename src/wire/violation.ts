/**
 * A broken input constraint as AWS's Coral front end reports it, and the message it answers with:
 * `N validation error(s) detected: Value 'x' at 'member.path' failed to satisfy constraint: ...`,
 * values printed as Java prints them, since Coral is Java.
 */

export type ViolationKind = 'required' | 'enum' | 'length' | 'range' | 'pattern';

export interface Violation {
  /** AWS member path, e.g. `autoScalingGroupName`, `containerDefinitions.1.member.name`. */
  path: string;
  /** The offending value as received (`null` for a missing required member). */
  value: unknown;
  /** The text after `failed to satisfy constraint: `. */
  constraint: string;
  kind: ViolationKind;
  /** The shape is `sensitive`: the message leaves the value out, as AWS does. */
  hidden?: boolean;
}

/** AWS reports several violations at once; beyond this many the rest add nothing. */
export const MAX_VIOLATIONS = 10;

/**
 * `Value 'x' at 'path' failed to satisfy constraint: ...` for one violation. Values print as
 * Java's toString shows them (Coral is Java): every non-null value quoted, lists `'[a, b]'`, maps
 * and structures `'{k=v, k2=v2}'`, blobs as Java's ByteBuffer description, timestamps ISO 8601;
 * null unquoted; values of `sensitive` shapes left out (`Value at 'x' failed ...`).
 */
export function formatViolation(violation: Violation): string {
  let shown: string;
  if (violation.value === null || violation.value === undefined) shown = 'Value null';
  else if (violation.hidden) shown = 'Value';
  else shown = `Value '${javaString(violation.value)}'`;
  return `${shown} at '${violation.path}' failed to satisfy constraint: ${violation.constraint}`;
}

/** The ValidationException message: `2 validation errors detected: ...; ...`. */
export function formatViolations(violations: Violation[]): string {
  const count = violations.length;
  const noun = count === 1 ? 'error' : 'errors';
  return `${count} validation ${noun} detected: ${violations.map(formatViolation).join('; ')}`;
}

/** A value as Java's toString would print it, which is what Coral echoes back. */
function javaString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) {
    return `java.nio.HeapByteBuffer[pos=0 lim=${value.byteLength} cap=${value.byteLength}]`;
  }
  if (Array.isArray(value)) return `[${value.map(javaString).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${k}=${javaString(v)}`).join(', ')}}`;
  }
  return String(value);
}
