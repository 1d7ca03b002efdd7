/**
 * The ECS cluster query language (`DG:ecs/cluster-query-language`): `subject operator [argument]`
 * expressions joined with and/&&, or/||, not/! and parentheses, used by ListContainerInstances'
 * `filter` and by `memberOf` placement constraints. A small recursive-descent parser produces a
 * tree; `evaluateClusterQuery` checks one container instance against it. Pure.
 *
 * Subjects: `agentConnected`, `agentVersion`, `attribute:<name>`, `ec2InstanceId`,
 * `registeredAt`, `runningTasksCount`, `task:group`. `=~`/`!~` take a Java-style regular
 * expression that must match the whole value (Java's `matches()`), so `t3.*` selects t3.micro.
 * `task:group` is many-valued (the groups of the tasks on the instance): `==`, `in` and `=~` hold
 * when some task's group does, their negations when none does.
 */

export type Operator = '==' | '!=' | '>' | '>=' | '<' | '<=' | 'exists' | '!exists' | 'in' | '!in' | '=~' | '!~';

export type FieldName =
  'agentConnected' | 'agentVersion' | 'ec2InstanceId' | 'registeredAt' | 'runningTasksCount' | 'task:group';

export type Subject = { kind: 'attribute'; name: string } | { kind: 'field'; name: FieldName };

export type ClusterQuery =
  | { kind: 'and'; left: ClusterQuery; right: ClusterQuery }
  | { kind: 'or'; left: ClusterQuery; right: ClusterQuery }
  | { kind: 'not'; operand: ClusterQuery }
  | { kind: 'compare'; subject: Subject; operator: Operator; args: string[] };

/** What a query can ask about one container instance. */
export interface QueryTarget {
  attributes: ReadonlyMap<string, string | undefined>;
  ec2InstanceId: string;
  agentConnected: boolean;
  agentVersion: string;
  registeredAtMs: number;
  runningTasksCount: number;
  /** Groups of the instance's tasks that are not STOPPED. */
  taskGroups: readonly string[];
}

export class ClusterQueryError extends Error {}

/** Longest expression AWS accepts in a memberOf constraint or a filter (`M:ecs` PlacementConstraint). */
export const MAX_QUERY_LENGTH = 2000;

const WORD_OPERATORS: Readonly<Record<string, Operator>> = {
  equals: '==',
  not_equals: '!=',
  greater_than: '>',
  greater_than_equal: '>=',
  less_than: '<',
  less_than_equal: '<=',
  exists: 'exists',
  not_exists: '!exists',
  in: 'in',
  not_in: '!in',
  matches: '=~',
  not_matches: '!~',
};

const FIELDS: ReadonlySet<string> = new Set<FieldName>([
  'agentConnected',
  'agentVersion',
  'ec2InstanceId',
  'registeredAt',
  'runningTasksCount',
  'task:group',
]);

/** Operators each built-in subject allows (the docs' "Valid operators"); attributes allow all. */
const FIELD_OPERATORS: Readonly<Record<string, readonly Operator[]>> = {
  agentConnected: ['==', '!=', 'in', '!in', '=~', '!~'],
  ec2InstanceId: ['==', '!=', 'in', '!in', '=~', '!~'],
  agentVersion: ['==', '!=', '>', '>=', '<', '<='],
  registeredAt: ['==', '!=', '>', '>=', '<', '<='],
  runningTasksCount: ['==', '!=', '>', '>=', '<', '<='],
  'task:group': ['==', '!=', 'in', '!in', '=~', '!~', 'exists', '!exists'],
};

type Token =
  | { type: 'lparen' | 'rparen' | 'lbracket' | 'rbracket' | 'comma' | 'and' | 'or' | 'not'; at: number }
  | { type: 'operator'; value: Operator; at: number }
  | { type: 'word'; value: string; quoted: boolean; at: number };

const SYMBOL_OPERATORS: ReadonlyArray<[string, Token['type'], Operator?]> = [
  ['!exists', 'operator', '!exists'],
  ['!in', 'operator', '!in'],
  ['==', 'operator', '=='],
  ['!=', 'operator', '!='],
  ['>=', 'operator', '>='],
  ['<=', 'operator', '<='],
  ['=~', 'operator', '=~'],
  ['!~', 'operator', '!~'],
  ['&&', 'and'],
  ['||', 'or'],
  ['>', 'operator', '>'],
  ['<', 'operator', '<'],
  ['!', 'not'],
];

const WORD_BREAK = /[\s()[\],'"=!<>&|]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    const single: Partial<Record<string, Token['type']>> = {
      '(': 'lparen',
      ')': 'rparen',
      '[': 'lbracket',
      ']': 'rbracket',
      ',': 'comma',
    };
    const singleType = single[char];
    if (singleType) {
      tokens.push({ type: singleType, at: index } as Token);
      index += 1;
      continue;
    }
    if (char === "'" || char === '"') {
      const end = text.indexOf(char, index + 1);
      if (end === -1) throw new ClusterQueryError(`unterminated quoted value at position ${index}`);
      tokens.push({ type: 'word', value: text.slice(index + 1, end), quoted: true, at: index });
      index = end + 1;
      continue;
    }
    const symbol = SYMBOL_OPERATORS.find(([spelling]) => {
      if (!text.startsWith(spelling, index)) return false;
      // `!exists` / `!in` are operators only as whole words (`!in` is not `!` + `instance…`).
      if (/[a-z]$/.test(spelling)) {
        const next = text[index + spelling.length];
        return next === undefined || WORD_BREAK.test(next);
      }
      return true;
    });
    if (symbol) {
      const [spelling, type, operator] = symbol;
      tokens.push(operator ? { type: 'operator', value: operator, at: index } : ({ type, at: index } as Token));
      index += spelling.length;
      continue;
    }
    let end = index;
    while (end < text.length && !WORD_BREAK.test(text[end]!)) end += 1;
    // A regular expression may hold `|`, `(`… only when quoted; a bare word stops at them.
    if (end === index) throw new ClusterQueryError(`unexpected character '${char}' at position ${index}`);
    tokens.push({ type: 'word', value: text.slice(index, end), quoted: false, at: index });
    index = end;
  }
  return tokens;
}

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
  ) {}

  parse(): ClusterQuery {
    if (this.tokens.length === 0) throw new ClusterQueryError('the expression is empty');
    const query = this.parseOr();
    const extra = this.peek();
    if (extra) throw new ClusterQueryError(`unexpected ${this.describe(extra)} at position ${extra.at}`);
    return query;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token | undefined {
    const token = this.tokens[this.position];
    if (token) this.position += 1;
    return token;
  }

  private isKeyword(token: Token | undefined, keyword: 'and' | 'or' | 'not'): boolean {
    if (!token) return false;
    if (token.type === keyword) return true;
    return token.type === 'word' && !token.quoted && token.value.toLowerCase() === keyword;
  }

  private parseOr(): ClusterQuery {
    let left = this.parseAnd();
    while (this.isKeyword(this.peek(), 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): ClusterQuery {
    let left = this.parseUnary();
    while (this.isKeyword(this.peek(), 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): ClusterQuery {
    const token = this.peek();
    if (this.isKeyword(token, 'not')) {
      this.next();
      return { kind: 'not', operand: this.parseUnary() };
    }
    if (token?.type === 'lparen') {
      this.next();
      const inner = this.parseOr();
      this.expect('rparen', "')'");
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): ClusterQuery {
    const subjectToken = this.next();
    if (!subjectToken || subjectToken.type !== 'word') {
      throw new ClusterQueryError(
        subjectToken
          ? `expected a subject at position ${subjectToken.at}, found ${this.describe(subjectToken)}`
          : 'expected a subject at the end of the expression',
      );
    }
    const subject = parseSubject(subjectToken.value);
    const operatorToken = this.next();
    const operator = operatorToken ? operatorOf(operatorToken) : undefined;
    if (!operator) {
      throw new ClusterQueryError(
        operatorToken
          ? `expected an operator after '${subjectToken.value}', found ${this.describe(operatorToken)}`
          : `expected an operator after '${subjectToken.value}'`,
      );
    }
    const allowed = subject.kind === 'field' ? FIELD_OPERATORS[subject.name] : undefined;
    if (allowed && !allowed.includes(operator)) {
      throw new ClusterQueryError(`operator '${operator}' is not valid for '${subjectToken.value}'`);
    }
    if (operator === 'exists' || operator === '!exists') return { kind: 'compare', subject, operator, args: [] };
    if (operator === 'in' || operator === '!in') return { kind: 'compare', subject, operator, args: this.parseList() };
    const value = this.next();
    if (!value || value.type !== 'word') {
      throw new ClusterQueryError(`expected a value after '${subjectToken.value} ${operator}'`);
    }
    if (operator === '=~' || operator === '!~') compilePattern(value.value);
    return { kind: 'compare', subject, operator, args: [value.value] };
  }

  private parseList(): string[] {
    this.expect('lbracket', "'[' to open the argument list");
    const values: string[] = [];
    for (;;) {
      const value = this.next();
      if (!value || value.type !== 'word') throw new ClusterQueryError('expected a value in the argument list');
      values.push(value.value);
      const separator = this.next();
      if (separator?.type === 'rbracket') return values;
      if (separator?.type !== 'comma') throw new ClusterQueryError("expected ',' or ']' in the argument list");
    }
  }

  private expect(type: Token['type'], what: string): void {
    const token = this.next();
    if (token?.type !== type) {
      throw new ClusterQueryError(
        token ? `expected ${what} at position ${token.at}, found ${this.describe(token)}` : `expected ${what}`,
      );
    }
  }

  private describe(token: Token): string {
    if (token.type === 'word') return `'${token.value}'`;
    if (token.type === 'operator') return `'${token.value}'`;
    return `'${this.text.slice(token.at, token.at + (token.type === 'and' || token.type === 'or' ? 2 : 1))}'`;
  }
}

function operatorOf(token: Token): Operator | undefined {
  if (token.type === 'operator') return token.value;
  if (token.type === 'word' && !token.quoted) return WORD_OPERATORS[token.value.toLowerCase()];
  return undefined;
}

function parseSubject(text: string): Subject {
  if (text.startsWith('attribute:')) {
    const name = text.slice('attribute:'.length);
    if (name === '') throw new ClusterQueryError("'attribute:' needs an attribute name");
    return { kind: 'attribute', name };
  }
  if (FIELDS.has(text)) return { kind: 'field', name: text as FieldName };
  throw new ClusterQueryError(`unknown subject '${text}'`);
}

function compilePattern(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    throw new ClusterQueryError(`'${pattern}' is not a valid regular expression`);
  }
}

/** Parses an expression; throws ClusterQueryError saying what is wrong and where. */
export function parseClusterQuery(text: string): ClusterQuery {
  if (text.length > MAX_QUERY_LENGTH) {
    throw new ClusterQueryError(`the expression is longer than ${MAX_QUERY_LENGTH} characters`);
  }
  return new Parser(tokenize(text), text).parse();
}

export function evaluateClusterQuery(query: ClusterQuery, target: QueryTarget): boolean {
  switch (query.kind) {
    case 'and':
      return evaluateClusterQuery(query.left, target) && evaluateClusterQuery(query.right, target);
    case 'or':
      return evaluateClusterQuery(query.left, target) || evaluateClusterQuery(query.right, target);
    case 'not':
      return !evaluateClusterQuery(query.operand, target);
    case 'compare':
      return compare(query, target);
  }
}

function compare(query: ClusterQuery & { kind: 'compare' }, target: QueryTarget): boolean {
  const { subject, operator, args } = query;
  if (subject.kind === 'field' && subject.name === 'task:group') {
    return compareMany(target.taskGroups, operator, args);
  }
  const value = subjectValue(subject, target);
  switch (operator) {
    case 'exists':
      return value !== undefined;
    case '!exists':
      return value === undefined;
    case '==':
      return value !== undefined && equal(subject, value, args[0]!);
    case '!=':
      return value === undefined || !equal(subject, value, args[0]!);
    case 'in':
      return value !== undefined && args.some((arg) => equal(subject, value, arg));
    case '!in':
      return value === undefined || !args.some((arg) => equal(subject, value, arg));
    case '=~':
      return value !== undefined && compilePattern(args[0]!).test(value);
    case '!~':
      return value === undefined || !compilePattern(args[0]!).test(value);
    case '>':
    case '>=':
    case '<':
    case '<=': {
      if (value === undefined) return false;
      const order = ordering(subject, value, args[0]!);
      if (order === undefined) return false;
      if (operator === '>') return order > 0;
      if (operator === '>=') return order >= 0;
      if (operator === '<') return order < 0;
      return order <= 0;
    }
  }
}

function compareMany(values: readonly string[], operator: Operator, args: string[]): boolean {
  switch (operator) {
    case 'exists':
      return values.length > 0;
    case '!exists':
      return values.length === 0;
    case '==':
      return values.includes(args[0]!);
    case '!=':
      return !values.includes(args[0]!);
    case 'in':
      return values.some((value) => args.includes(value));
    case '!in':
      return !values.some((value) => args.includes(value));
    case '=~':
      return values.some((value) => compilePattern(args[0]!).test(value));
    case '!~':
      return !values.some((value) => compilePattern(args[0]!).test(value));
    default:
      return false;
  }
}

function subjectValue(subject: Subject, target: QueryTarget): string | undefined {
  if (subject.kind === 'attribute') {
    if (!target.attributes.has(subject.name)) return undefined;
    // An attribute without a value exists; it compares as the empty string.
    return target.attributes.get(subject.name) ?? '';
  }
  switch (subject.name) {
    case 'agentConnected':
      return String(target.agentConnected);
    case 'agentVersion':
      return target.agentVersion;
    case 'ec2InstanceId':
      return target.ec2InstanceId;
    case 'registeredAt':
      return String(target.registeredAtMs);
    case 'runningTasksCount':
      return String(target.runningTasksCount);
    case 'task:group':
      return undefined;
  }
}

function equal(subject: Subject, value: string, arg: string): boolean {
  if (subject.kind === 'field' && (subject.name === 'registeredAt' || subject.name === 'runningTasksCount')) {
    return ordering(subject, value, arg) === 0;
  }
  if (subject.kind === 'field' && subject.name === 'agentConnected') return value === arg.toLowerCase();
  return value === arg;
}

/** Sign of value − arg for ordered subjects; undefined when arg cannot be read as one. */
function ordering(subject: Subject, value: string, arg: string): number | undefined {
  if (subject.kind === 'field' && subject.name === 'registeredAt') {
    const argMs = parseQueryDate(arg);
    return argMs === undefined ? undefined : Math.sign(Number(value) - argMs);
  }
  if (subject.kind === 'field' && subject.name === 'agentVersion') return compareVersions(value, arg);
  const left = Number(value);
  const right = Number(arg);
  if (value !== '' && arg !== '' && Number.isFinite(left) && Number.isFinite(right)) return Math.sign(left - right);
  return value < arg ? -1 : value > arg ? 1 : 0;
}

/** The docs' date formats: 2018-06-18T22:28:28+00:00, …Z, 2018-06-18T22:28:28 (UTC), 2018-06-18. */
export function parseQueryDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00', zone = 'Z'] = match;
  const ms = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

function compareVersions(left: string, right: string): number {
  const a = left.replace(/^v/, '').split('.');
  const b = right.replace(/^v/, '').split('.');
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const x = Number(a[index] ?? 0);
    const y = Number(b[index] ?? 0);
    if (Number.isNaN(x) || Number.isNaN(y)) {
      const order = (a[index] ?? '').localeCompare(b[index] ?? '');
      if (order !== 0) return order;
    } else if (x !== y) return Math.sign(x - y);
  }
  return 0;
}
