import { describe, expect, it } from 'vitest';
import type { HttpRequestInfo } from './ports.js';
import type { ConditionRecord } from './rule-condition.js';
import { conditionMatches, firstMatchingRule, hostName, wildcardMatch } from './rule-matcher.js';

function request(overrides: Partial<HttpRequestInfo> & { url?: string } = {}): HttpRequestInfo {
  const url = new URL(overrides.url ?? 'http://www.example.com/');
  return {
    method: overrides.method ?? 'GET',
    path: overrides.path ?? url.pathname,
    query: overrides.query ?? url.searchParams,
    headers: { host: url.host, ...overrides.headers },
    sourceIp: overrides.sourceIp ?? '10.0.0.7',
  };
}

describe('wildcards: * is any run of characters, ? exactly one', () => {
  it.each([
    ['/img/*', '/img/logo.png', false, true],
    ['/img/*', '/img/', false, true],
    ['/img/*', '/images/logo.png', false, false],
    ['/api/v?/users', '/api/v2/users', false, true],
    ['/api/v?/users', '/api/v10/users', false, false],
    ['/API/*', '/api/x', false, false],
    ['*.example.com', 'www.EXAMPLE.com', true, true],
    ['*.example.com', 'example.com', true, false],
    ['a.b', 'axb', false, false],
    ['/(x)+', '/(x)+', false, true],
    ['*', '', false, true],
  ])('%s against %s (case-insensitive %s) → %s', (pattern, text, insensitive, expected) => {
    expect(wildcardMatch(pattern, text, insensitive)).toBe(expected);
  });
});

describe('conditions', () => {
  const cases: Array<[string, ConditionRecord, HttpRequestInfo, boolean]> = [
    [
      'path-pattern matches the path, not the query',
      { field: 'path-pattern', values: ['/a*'] },
      request({ url: 'http://h/b?x=/a' }),
      false,
    ],
    [
      'path-pattern is case-sensitive',
      { field: 'path-pattern', values: ['/Api/*'] },
      request({ url: 'http://h/api/x' }),
      false,
    ],
    [
      'path-pattern: any value matches',
      { field: 'path-pattern', values: ['/x', '/api/*'] },
      request({ url: 'http://h/api/x' }),
      true,
    ],
    [
      'host-header ignores the port and case',
      { field: 'host-header', values: ['api.example.com'] },
      request({ url: 'http://API.example.com:8080/' }),
      true,
    ],
    [
      'host-header wildcard',
      { field: 'host-header', values: ['*.example.com'] },
      request({ url: 'http://admin.example.com/' }),
      true,
    ],
    [
      'http-header: name and value case-insensitive',
      { field: 'http-header', headerName: 'User-Agent', values: ['*mobile*'] },
      request({ headers: { 'user-agent': 'Some MOBILE browser' } }),
      true,
    ],
    ['http-header absent', { field: 'http-header', headerName: 'X-Canary', values: ['*'] }, request(), false],
    [
      'http-request-method is exact and case-sensitive',
      { field: 'http-request-method', values: ['POST'] },
      request({ method: 'post' }),
      false,
    ],
    [
      'http-request-method',
      { field: 'http-request-method', values: ['GET', 'HEAD'] },
      request({ method: 'HEAD' }),
      true,
    ],
    [
      'query-string key and value',
      { field: 'query-string', values: [{ key: 'version', value: 'v1*' }] },
      request({ url: 'http://h/?version=V1.2' }),
      true,
    ],
    [
      'query-string value of any key',
      { field: 'query-string', values: [{ value: 'beta' }] },
      request({ url: 'http://h/?channel=beta' }),
      true,
    ],
    [
      'query-string no match',
      { field: 'query-string', values: [{ key: 'a', value: 'b' }] },
      request({ url: 'http://h/?a=c&b=b' }),
      false,
    ],
    [
      'source-ip in a block',
      { field: 'source-ip', values: ['10.0.0.0/24'] },
      request({ sourceIp: '10.0.0.200' }),
      true,
    ],
    ['source-ip outside', { field: 'source-ip', values: ['10.0.1.0/24'] }, request({ sourceIp: '10.0.0.200' }), false],
    [
      'source-ip: an IPv4-mapped client matches IPv4 blocks',
      { field: 'source-ip', values: ['127.0.0.0/8'] },
      request({ sourceIp: '::ffff:127.0.0.1' }),
      true,
    ],
    [
      'source-ip IPv6',
      { field: 'source-ip', values: ['2001:db8::/32'] },
      request({ sourceIp: '2001:db8:0:1::5' }),
      true,
    ],
  ];
  it.each(cases)('%s', (_name, condition, req, expected) => {
    expect(conditionMatches(condition, req)).toBe(expected);
  });
});

describe('rules by priority', () => {
  const rules = [
    { name: 'p5-admin-host', conditions: [{ field: 'host-header', values: ['admin.*'] } as ConditionRecord] },
    { name: 'p10-api', conditions: [{ field: 'path-pattern', values: ['/api/*'] } as ConditionRecord] },
    {
      name: 'p20-api-post',
      conditions: [
        { field: 'path-pattern', values: ['/api/*'] } as ConditionRecord,
        { field: 'http-request-method', values: ['POST'] } as ConditionRecord,
      ],
    },
  ];
  it.each([
    ['http://admin.example.com/api/x', 'GET', 'p5-admin-host'],
    ['http://www.example.com/api/x', 'POST', 'p10-api'],
    ['http://www.example.com/web', 'GET', undefined],
  ])('%s %s → %s (undefined: the default rule)', (url, method, expected) => {
    expect(firstMatchingRule(rules, request({ url, method }))?.name).toBe(expected);
  });

  it('a rule matches only when every condition does', () => {
    expect(firstMatchingRule([rules[2]!], request({ url: 'http://h/api/x', method: 'GET' }))).toBeUndefined();
  });
});

it('hostName drops the port, keeps IPv6 brackets', () => {
  expect(hostName({ host: 'example.com:8080' })).toBe('example.com');
  expect(hostName({ host: '[::1]:80' })).toBe('[::1]');
  expect(hostName({})).toBe('');
});
