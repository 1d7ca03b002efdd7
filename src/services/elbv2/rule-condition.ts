/**
 * ALB rule conditions (`UG:alb/load-balancer-listeners#rule-condition-types`, C.5): path-pattern,
 * host-header, http-header, http-request-method, query-string and source-ip. Stored normalized
 * (the old `Field` + `Values` form and the `*Config` forms mean the same) and described the way
 * AWS answers, both forms filled for path-pattern and host-header. At most one each of
 * host-header, path-pattern, http-request-method and source-ip; 5 values per rule.
 */
import { validationError } from './errors.js';
import { parseCidr } from './ip-range.js';
import { LIMITS } from './limits.js';

export type ConditionRecord =
  | { field: 'path-pattern'; values: string[] }
  | { field: 'host-header'; values: string[] }
  | { field: 'http-header'; headerName: string; values: string[] }
  | { field: 'http-request-method'; values: string[] }
  | { field: 'query-string'; values: Array<{ key?: string; value: string }> }
  | { field: 'source-ip'; values: string[] };

export interface WireCondition {
  Field?: string;
  Values?: string[];
  RegexValues?: string[];
  HostHeaderConfig?: { Values?: string[]; RegexValues?: string[] };
  PathPatternConfig?: { Values?: string[]; RegexValues?: string[] };
  HttpHeaderConfig?: { HttpHeaderName?: string; Values?: string[]; RegexValues?: string[] };
  HttpRequestMethodConfig?: { Values?: string[] };
  QueryStringConfig?: { Values?: Array<{ Key?: string; Value?: string }> };
  SourceIpConfig?: { Values?: string[] };
}

const SINGLE_FIELDS = ['host-header', 'path-pattern', 'http-request-method', 'source-ip'];
const MAX_VALUE_LENGTH = 128;

export function conditionsFromWire(conditions: readonly WireCondition[] | undefined): ConditionRecord[] {
  if (!conditions || conditions.length === 0) throw validationError('A rule must have at least one condition');
  const records = conditions.map(conditionFromWire);
  for (const field of SINGLE_FIELDS) {
    if (records.filter((record) => record.field === field).length > 1) {
      throw validationError(`A rule can have only one '${field}' condition`);
    }
  }
  const values = records.flatMap(conditionValues);
  if (values.length > LIMITS.conditionValuesPerRule) {
    throw validationError(`A rule can have at most '${LIMITS.conditionValuesPerRule}' condition values`);
  }
  if (values.filter((value) => /[*?]/.test(value)).length > LIMITS.conditionWildcardsPerRule) {
    throw validationError(`A rule can have at most '${LIMITS.conditionWildcardsPerRule}' wildcards`);
  }
  return records;
}

function conditionValues(record: ConditionRecord): string[] {
  return record.field === 'query-string'
    ? record.values.map((pair) => `${pair.key ?? ''}=${pair.value}`)
    : record.values;
}

function conditionFromWire(condition: WireCondition): ConditionRecord {
  const field = condition.Field ?? '';
  const regex =
    condition.RegexValues ??
    condition.HostHeaderConfig?.RegexValues ??
    condition.PathPatternConfig?.RegexValues ??
    condition.HttpHeaderConfig?.RegexValues;
  if (regex !== undefined) throw validationError('drydock does not support regex rule conditions (RegexValues)');
  switch (field) {
    case 'path-pattern':
      return { field, values: plainValues(field, condition.Values, condition.PathPatternConfig?.Values) };
    case 'host-header': {
      const values = plainValues(field, condition.Values, condition.HostHeaderConfig?.Values);
      for (const value of values) {
        if (!/^[A-Za-z0-9.*?-]+$/.test(value)) throw validationError(`Host header value '${value}' is not valid`);
      }
      return { field, values };
    }
    case 'http-header': {
      const config = condition.HttpHeaderConfig;
      const headerName = config?.HttpHeaderName ?? '';
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}$/.test(headerName)) {
        throw validationError(`HTTP header name '${headerName}' is not valid`);
      }
      return { field, headerName, values: requireValues(field, config?.Values) };
    }
    case 'http-request-method': {
      const values = requireValues(field, condition.HttpRequestMethodConfig?.Values);
      for (const value of values) {
        if (!/^[A-Z_-]{1,40}$/.test(value)) throw validationError(`HTTP request method '${value}' is not valid`);
      }
      return { field, values };
    }
    case 'query-string': {
      const pairs = condition.QueryStringConfig?.Values ?? [];
      if (pairs.length === 0) throw validationError(`A 'query-string' condition must have at least one value`);
      return {
        field,
        values: pairs.map((pair) => {
          if (pair.Value === undefined || pair.Value === '')
            throw validationError('A query string value must be specified');
          if (pair.Value.length > MAX_VALUE_LENGTH || (pair.Key?.length ?? 0) > MAX_VALUE_LENGTH) {
            throw validationError(`Query string keys and values can be at most ${MAX_VALUE_LENGTH} characters long`);
          }
          return pair.Key !== undefined ? { key: pair.Key, value: pair.Value } : { value: pair.Value };
        }),
      };
    }
    case 'source-ip': {
      const values = requireValues(field, condition.SourceIpConfig?.Values);
      for (const value of values) {
        if (!parseCidr(value)) throw validationError(`Source IP '${value}' is not a valid CIDR block`);
      }
      return { field, values };
    }
    default:
      throw validationError(
        `Condition field '${field}' must be one of [http-header, http-request-method, host-header, path-pattern, query-string, source-ip]`,
      );
  }
}

function plainValues(field: string, legacy: string[] | undefined, config: string[] | undefined): string[] {
  if (legacy !== undefined && legacy.length > 0 && config !== undefined) {
    throw validationError(`You cannot specify both Values and a config for a '${field}' condition`);
  }
  return requireValues(field, legacy !== undefined && legacy.length > 0 ? legacy : config);
}

function requireValues(field: string, values: string[] | undefined): string[] {
  if (!values || values.length === 0) throw validationError(`A '${field}' condition must have at least one value`);
  for (const value of values) {
    if (value.length > MAX_VALUE_LENGTH) {
      throw validationError(`A '${field}' condition value can be at most ${MAX_VALUE_LENGTH} characters long`);
    }
  }
  return [...values];
}

export function conditionToWire(condition: ConditionRecord) {
  switch (condition.field) {
    case 'path-pattern':
      return { Field: condition.field, Values: condition.values, PathPatternConfig: { Values: condition.values } };
    case 'host-header':
      return { Field: condition.field, Values: condition.values, HostHeaderConfig: { Values: condition.values } };
    case 'http-header':
      return {
        Field: condition.field,
        HttpHeaderConfig: { HttpHeaderName: condition.headerName, Values: condition.values },
      };
    case 'http-request-method':
      return { Field: condition.field, HttpRequestMethodConfig: { Values: condition.values } };
    case 'query-string':
      return {
        Field: condition.field,
        QueryStringConfig: { Values: condition.values.map((pair) => ({ Key: pair.key, Value: pair.value })) },
      };
    case 'source-ip':
      return { Field: condition.field, SourceIpConfig: { Values: condition.values } };
  }
}
