/**
 * What a target receives for a matched event (`M:ev` Target, `UG:eb/eb-transform-target-input`):
 * the whole event (minified JSON) by default, or the constant `Input`, or the part of the event
 * an `InputPath` selects, or an `InputTransformer`'s template with `<variables>` filled in from
 * its InputPathsMap and the reserved `aws.events.*` variables. In a JSON template a variable
 * outside quotes becomes its JSON value (a string is quoted); inside quotes, and in a plain-text
 * template, it is substituted as raw text without escaping, as AWS does.
 */
import { parseJsonPath, selectJsonPath } from './json-path.js';
import { isJsonObject, JsonSyntaxError, parseJson, toJsonText, type JsonValue } from './json-text.js';

export interface InputTransformer {
  InputPathsMap?: Record<string, string>;
  InputTemplate: string;
}

export interface TargetInputSpec {
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformer;
}

export interface DeliveryContext {
  ruleArn: string;
  ruleName: string;
  ingestionTimeMs: number;
  /** The event envelope. */
  event: JsonValue;
}

/** Variables every template may use without defining them (`UG:eb/eb-transform-target-input`). */
export const RESERVED_VARIABLES = [
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event',
  'aws.events.event.ingestion-time',
  'aws.events.event.json',
] as const;

const PLACEHOLDER_NAME = /^[A-Za-z0-9_.-]+$/;

/** The text the target is sent. */
export function targetInput(spec: TargetInputSpec, context: DeliveryContext): string {
  if (spec.Input !== undefined) return spec.Input;
  if (spec.InputPath !== undefined) {
    const segments = parseJsonPath(spec.InputPath);
    const selected = segments ? selectJsonPath(segments, context.event) : undefined;
    // UNCONFIRMED: a path that selects nothing delivers JSON null.
    return selected === undefined ? 'null' : toJsonText(selected);
  }
  if (spec.InputTransformer) return renderTemplate(spec.InputTransformer, variablesFor(spec.InputTransformer, context));
  return toJsonText(context.event);
}

function variablesFor(transformer: InputTransformer, context: DeliveryContext): Map<string, JsonValue | undefined> {
  const variables = new Map<string, JsonValue | undefined>();
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) {
    const segments = parseJsonPath(path);
    variables.set(name, segments ? selectJsonPath(segments, context.event) : undefined);
  }
  const withoutDetail = isJsonObject(context.event)
    ? new Map([...context.event].filter(([key]) => key !== 'detail'))
    : context.event;
  variables.set('aws.events.rule-arn', context.ruleArn);
  variables.set('aws.events.rule-name', context.ruleName);
  variables.set('aws.events.event', withoutDetail);
  variables.set('aws.events.event.ingestion-time', new Date(context.ingestionTimeMs).toISOString());
  variables.set('aws.events.event.json', context.event);
  return variables;
}

/** A template is JSON when it opens like a JSON object, array or string; otherwise plain text. */
function isJsonTemplate(template: string): boolean {
  return /^\s*[[{"]/.test(template);
}

/**
 * Fills a template. Names that are neither defined nor reserved stay as written (`<b>` in text).
 * A defined variable whose path matched nothing is empty text in a string and null as a JSON
 * value (UNCONFIRMED: AWS says only that it "won't appear in the output").
 */
export function renderTemplate(transformer: InputTransformer, variables: Map<string, JsonValue | undefined>): string {
  const template = transformer.InputTemplate;
  const json = isJsonTemplate(template);
  let out = '';
  let inString = false;
  for (let index = 0; index < template.length; index += 1) {
    const c = template.charAt(index);
    if (json && c === '"') {
      inString = !inString;
      out += c;
      continue;
    }
    if (json && inString && c === '\\') {
      out += template.slice(index, index + 2);
      index += 1;
      continue;
    }
    if (c === '<') {
      const end = template.indexOf('>', index + 1);
      const name = end === -1 ? '' : template.slice(index + 1, end);
      if (PLACEHOLDER_NAME.test(name) && variables.has(name)) {
        const value = variables.get(name);
        out += json && !inString ? (value === undefined ? 'null' : toJsonText(value)) : rawText(value);
        index = end;
        continue;
      }
    }
    out += c;
  }
  return json ? minified(out) : out;
}

function rawText(value: JsonValue | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : toJsonText(value);
}

/** AWS passes JSON minified; text that is not valid JSON (an unescaped quote) goes as written. */
function minified(text: string): string {
  try {
    return toJsonText(parseJson(text));
  } catch (error) {
    if (error instanceof JsonSyntaxError) return text;
    throw error;
  }
}

/** Why a target's input settings would be refused at PutTargets, or undefined when they are fine. */
export function inputProblem(
  spec: TargetInputSpec,
): { member: 'Input' | 'InputPath' | 'InputTransformer'; reason: string } | undefined {
  if (spec.Input !== undefined) {
    try {
      parseJson(spec.Input);
    } catch (error) {
      if (error instanceof JsonSyntaxError)
        return { member: 'Input', reason: `Input is not valid JSON: ${error.message}` };
      throw error;
    }
  }
  if (spec.InputPath !== undefined && !parseJsonPath(spec.InputPath)) {
    return { member: 'InputPath', reason: spec.InputPath };
  }
  const transformer = spec.InputTransformer;
  if (!transformer) return undefined;
  const names = Object.keys(transformer.InputPathsMap ?? {});
  for (const name of names) {
    if (name.toUpperCase().startsWith('AWS.')) {
      return { member: 'InputTransformer', reason: `InputPathsMap key '${name}' may not start with 'AWS.'.` };
    }
    const path = transformer.InputPathsMap![name]!;
    if (!parseJsonPath(path)) return { member: 'InputTransformer', reason: `'${path}' is not a valid JSON path.` };
  }
  if (isJsonTemplate(transformer.InputTemplate)) {
    const dummies = new Map<string, JsonValue | undefined>(
      [...names, ...RESERVED_VARIABLES].map((name) => [name, 'x'] as [string, JsonValue]),
    );
    if (placeholderAsKey(transformer.InputTemplate)) {
      return { member: 'InputTransformer', reason: 'InputTemplate placeholders cannot be used as JSON object keys.' };
    }
    try {
      parseJson(renderTemplate(transformer, dummies));
    } catch (error) {
      if (error instanceof JsonSyntaxError) {
        return { member: 'InputTransformer', reason: `InputTemplate is not valid JSON: ${error.message}` };
      }
      throw error;
    }
  }
  return undefined;
}

/** `{<name>: …}`: a placeholder where an object key belongs. */
function placeholderAsKey(template: string): boolean {
  return /[{,]\s*<[A-Za-z0-9_.-]+>\s*:/.test(template);
}
