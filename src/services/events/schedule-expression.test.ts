/**
 * Schedule expressions: which are valid, and when they fire next (UTC), with the examples of the
 * EventBridge user guide (`eb-create-rule-schedule`).
 */
import { describe, expect, it } from 'vitest';
import { nextFireAtMs, parseScheduleExpression } from './schedule-expression.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function next(expression: string, afterIso: string, anchorIso = '2000-01-01T00:00:00Z'): string | undefined {
  const schedule = parseScheduleExpression(expression);
  if (!schedule) throw new Error(`not valid: ${expression}`);
  return iso(nextFireAtMs(schedule, at(anchorIso), at(afterIso)));
}

describe('schedule expressions', () => {
  it.each([
    'rate(1 minute)',
    'rate(5 minutes)',
    'rate(1 hour)',
    'rate(12 hours)',
    'rate(1 day)',
    'rate(7 days)',
    'cron(0 10 * * ? *)',
    'cron(15 12 * * ? *)',
    'cron(0 18 ? * MON-FRI *)',
    'cron(0 8 1 * ? *)',
    'cron(0/15 * * * ? *)',
    'cron(0/10 * ? * MON-FRI *)',
    'cron(0/5 8-17 ? * MON-FRI *)',
    'cron(0 9 ? * 2#1 *)',
    'cron(0 0 L * ? *)',
    'cron(0 0 LW * ? *)',
    'cron(0 0 15W * ? *)',
    'cron(0 0 ? * 6L *)',
    'cron(30 2 1,15 JAN,JUL ? 2030-2040)',
  ])('accepts %s', (expression) => {
    expect(parseScheduleExpression(expression)).toBeDefined();
  });

  it.each([
    'rate(0 minutes)',
    'rate(1 minutes)',
    'rate(5 minute)',
    'rate(5 seconds)',
    'rate(-1 hours)',
    'rate(5minutes)',
    'every 5 minutes',
    'cron(0 10 * * *)',
    'cron(0 10 * * * *)',
    'cron(0 10 ? * ? *)',
    'cron(60 10 * * ? *)',
    'cron(0 24 * * ? *)',
    'cron(0 0 32 * ? *)',
    'cron(0 0 ? * 8 *)',
    'cron(0 0 ? FOO * *)',
    'cron(0 0 * * ? 1969)',
    'cron(5-1 * * * ? *)',
  ])('refuses %s', (expression) => {
    expect(parseScheduleExpression(expression)).toBeUndefined();
  });

  it('rate schedules fire every period from the rule’s anchor', () => {
    expect(next('rate(5 minutes)', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')).toBe('2026-01-01T00:05:00.000Z');
    expect(next('rate(5 minutes)', '2026-01-01T00:05:00Z', '2026-01-01T00:00:00Z')).toBe('2026-01-01T00:10:00.000Z');
    expect(next('rate(1 hour)', '2026-01-01T03:59:59Z', '2026-01-01T00:30:00Z')).toBe('2026-01-01T04:30:00.000Z');
  });

  it.each([
    ['cron(0 10 * * ? *)', '2026-01-01T09:00:00Z', '2026-01-01T10:00:00.000Z'],
    ['cron(0 10 * * ? *)', '2026-01-01T10:00:00Z', '2026-01-02T10:00:00.000Z'],
    ['cron(0/15 * * * ? *)', '2026-01-01T10:07:00Z', '2026-01-01T10:15:00.000Z'],
    // 2026-01-02 is a Friday: the next weekday 18:00 after Friday evening is Monday.
    ['cron(0 18 ? * MON-FRI *)', '2026-01-02T18:00:00Z', '2026-01-05T18:00:00.000Z'],
    ['cron(0 8 1 * ? *)', '2026-01-01T08:00:00Z', '2026-02-01T08:00:00.000Z'],
    ['cron(0 0 L * ? *)', '2026-02-01T00:00:00Z', '2026-02-28T00:00:00.000Z'],
    ['cron(0 0 L * ? *)', '2028-02-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    // 2026-01-31 is a Saturday: the last weekday of January 2026 is Friday the 30th.
    ['cron(0 0 LW * ? *)', '2026-01-01T00:00:00Z', '2026-01-30T00:00:00.000Z'],
    // 2026-02-15 is a Sunday: its nearest weekday is Monday the 16th.
    ['cron(0 0 15W * ? *)', '2026-02-01T00:00:00Z', '2026-02-16T00:00:00.000Z'],
    // The first Monday of February 2026 is the 2nd.
    ['cron(0 9 ? * 2#1 *)', '2026-01-06T00:00:00Z', '2026-02-02T09:00:00.000Z'],
    // The last Friday of January 2026 is the 30th.
    ['cron(0 0 ? * 6L *)', '2026-01-01T00:00:00Z', '2026-01-30T00:00:00.000Z'],
    ['cron(30 2 1,15 JAN,JUL ? 2030-2040)', '2026-01-01T00:00:00Z', '2030-01-01T02:30:00.000Z'],
    ['cron(0 0 1 1 ? 2020)', '2026-01-01T00:00:00Z', undefined],
  ])('%s after %s fires at %s', (expression, after, expected) => {
    expect(next(expression, after)).toBe(expected);
  });

  it('a cron schedule does not fire before its anchor', () => {
    expect(next('cron(0 10 * * ? *)', '2026-01-01T00:00:00Z', '2026-01-03T12:00:00Z')).toBe('2026-01-04T10:00:00.000Z');
  });
});
