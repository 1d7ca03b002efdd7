/**
 * JSON as EventBridge reads it: numbers keep the text they were written with, because event
 * patterns compare numbers by their string form (`UG:eb/eb-event-patterns`: 300, 300.0 and 3.0e2
 * are not equal), and an InputPath hands a number to the target exactly as the event wrote it.
 * Objects are Maps (duplicate keys: the last one wins, as AWS says of patterns). Syntax errors read
 * like the Jackson parser's behind AWS's own ("Unexpected character ('}' (code 125)): ...").
 */

/** A JSON number and the exact text it was written as. */
export class JsonNumber {
  constructor(readonly text: string) {}

  get value(): number {
    return Number(this.text);
  }
}

export type JsonObject = Map<string, JsonValue>;
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/** Deeper than this is refused rather than risking the stack on a 256 KB event of brackets. */
const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return value instanceof Map;
}

export function parseJson(text: string): JsonValue {
  const parser = new Parser(text);
  parser.skipSpace();
  const value = parser.value(0);
  parser.skipSpace();
  if (parser.offset < text.length) parser.fail('expected end of input');
  return value;
}

class Parser {
  offset = 0;

  constructor(private readonly text: string) {}

  skipSpace(): void {
    while (this.offset < this.text.length) {
      const c = this.text.charCodeAt(this.offset);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.offset += 1;
    }
  }

  fail(expectation: string): never {
    if (this.offset >= this.text.length) {
      throw new JsonSyntaxError('Unexpected end-of-input', this.offset);
    }
    const c = this.text.charAt(this.offset);
    throw new JsonSyntaxError(`Unexpected character ('${c}' (code ${c.charCodeAt(0)})): ${expectation}`, this.offset);
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(`Nesting deeper than ${MAX_DEPTH} levels`, this.offset);
    const c = this.text.charAt(this.offset);
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.offset)) {
        this.offset += word.length;
        return value;
      }
    }
    return this.fail("expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
  }

  private object(depth: number): JsonObject {
    const result: JsonObject = new Map();
    this.offset += 1;
    this.skipSpace();
    if (this.text.charAt(this.offset) === '}') {
      this.offset += 1;
      return result;
    }
    for (;;) {
      if (this.text.charAt(this.offset) !== '"') this.fail('was expecting double-quote to start field name');
      const key = this.string();
      this.skipSpace();
      if (this.text.charAt(this.offset) !== ':') this.fail('was expecting a colon to separate field name and value');
      this.offset += 1;
      this.skipSpace();
      // Last one wins, but the key keeps its first position: delete first so order follows the winner.
      result.delete(key);
      result.set(key, this.value(depth + 1));
      this.skipSpace();
      const next = this.text.charAt(this.offset);
      this.offset += 1;
      if (next === '}') return result;
      if (next !== ',') {
        this.offset -= 1;
        this.fail('was expecting comma to separate Object entries');
      }
      this.skipSpace();
    }
  }

  private array(depth: number): JsonValue[] {
    const result: JsonValue[] = [];
    this.offset += 1;
    this.skipSpace();
    if (this.text.charAt(this.offset) === ']') {
      this.offset += 1;
      return result;
    }
    for (;;) {
      result.push(this.value(depth + 1));
      this.skipSpace();
      const next = this.text.charAt(this.offset);
      this.offset += 1;
      if (next === ']') return result;
      if (next !== ',') {
        this.offset -= 1;
        this.fail('was expecting comma to separate Array entries');
      }
      this.skipSpace();
    }
  }

  private number(): JsonNumber {
    NUMBER.lastIndex = this.offset;
    const match = NUMBER.exec(this.text);
    if (!match) return this.fail('expected a valid number');
    this.offset += match[0].length;
    return new JsonNumber(match[0]);
  }

  private string(): string {
    const start = this.offset;
    let end = start + 1;
    for (;;) {
      if (end >= this.text.length) {
        this.offset = end;
        this.fail('unterminated string');
      }
      const c = this.text.charCodeAt(end);
      if (c === 0x22) break;
      if (c < 0x20) {
        this.offset = end;
        this.fail('CTRL-CHAR, code must be escaped');
      }
      end += c === 0x5c ? 2 : 1;
    }
    this.offset = end + 1;
    try {
      return JSON.parse(this.text.slice(start, end + 1)) as string;
    } catch {
      this.offset = start;
      return this.fail('invalid escape in string');
    }
  }
}

/** Compact JSON text (no whitespace), numbers exactly as they were written. */
export function toJsonText(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  const members: string[] = [];
  for (const [key, member] of value) members.push(`${JSON.stringify(key)}:${toJsonText(member)}`);
  return `{${members.join(',')}}`;
}

/**
 * A plain JavaScript value (what other services publish) as a JsonValue. As JSON.stringify does,
 * undefined members vanish, non-finite numbers become null and Dates their ISO text.
 */
export function fromPlain(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? new JsonNumber(String(value)) : null;
  if (typeof value === 'bigint') return new JsonNumber(value.toString());
  if (value instanceof JsonNumber) return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : fromPlain(item)));
  if (value instanceof Map) {
    const result: JsonObject = new Map();
    for (const [key, member] of value as Map<unknown, unknown>) {
      if (member !== undefined) result.set(String(key), fromPlain(member));
    }
    return result;
  }
  if (typeof value === 'object') {
    const result: JsonObject = new Map();
    for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
      if (member !== undefined && typeof member !== 'function') result.set(key, fromPlain(member));
    }
    return result;
  }
  return null;
}

/** The plain JavaScript form (numbers lose their spelling); for tests and logs. */
export function toPlain(value: JsonValue): unknown {
  if (value instanceof JsonNumber) return value.value;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Map) {
    const result: Record<string, unknown> = {};
    for (const [key, member] of value) result[key] = toPlain(member);
    return result;
  }
  return value;
}

/** What a JSON token looks like in Jackson's `getText()` (used in AWS's numeric-match messages). */
export function tokenText(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if (value instanceof JsonNumber) return value.text;
  return Array.isArray(value) ? '[' : '{';
}
