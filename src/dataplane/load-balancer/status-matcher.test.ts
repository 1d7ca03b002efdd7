import { describe, expect, it } from 'vitest';
import { parseStatusMatcher } from './status-matcher.js';

describe('parseStatusMatcher', () => {
  it.each([
    ['200', [200], [201, 302, 500]],
    ['200-399', [200, 302, 399], [199, 400, 503]],
    ['200,302', [200, 302], [201, 301, 404]],
    ['200-299, 404', [204, 404], [302, 500]],
  ])('%s', (spec, matching, failing) => {
    const matches = parseStatusMatcher(spec);
    for (const code of matching) expect(matches(code), `${code}`).toBe(true);
    for (const code of failing) expect(matches(code), `${code}`).toBe(false);
  });

  it.each(['', 'ok', '200-', '399-200', '200;302'])('rejects %j', (spec) => {
    expect(() => parseStatusMatcher(spec)).toThrow(RangeError);
  });
});
