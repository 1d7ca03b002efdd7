import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { captureLogger, createLogger, silentLogger } from './logger.js';
import { VirtualClock } from './virtual-clock.js';

function collector() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean) };
}

describe('createLogger', () => {
  it('writes JSON lines stamped with the clock’s time and no pid or hostname', async () => {
    const clock = new VirtualClock();
    const { stream, lines } = collector();
    const logger = createLogger({ clock, destination: stream });
    logger.info({ instanceId: 'i-0123456789abcdef0' }, 'instance launched');
    await clock.advanceBy(90_000);
    logger.warn('plain message');
    const [first, second] = lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toEqual({
      level: 'info',
      time: '2026-01-01T00:00:00.000Z',
      instanceId: 'i-0123456789abcdef0',
      msg: 'instance launched',
    });
    expect(second).toEqual({ level: 'warn', time: '2026-01-01T00:01:30.000Z', msg: 'plain message' });
  });

  it('is byte-for-byte reproducible on a virtual clock', () => {
    const run = () => {
      const { stream, lines } = collector();
      const logger = createLogger({ clock: new VirtualClock(), destination: stream }).child({ service: 'ecs' });
      logger.info({ cluster: 'prod' }, 'cluster created');
      logger.error({ key: 'k' }, 'failed');
      return lines();
    };
    expect(run()).toEqual(run());
  });

  it('filters by level, carries child bindings and serializes errors', () => {
    const clock = new VirtualClock();
    const { logger, entries } = captureLogger({ clock, level: 'info' });
    logger.debug('hidden');
    const child = logger.child({ service: 'autoscaling' }).child({ group: 'web' });
    child.info('scaled out');
    child.error({ err: new TypeError('bad input') }, 'reconcile failed');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ service: 'autoscaling', group: 'web', msg: 'scaled out' });
    expect(entries[1]).toMatchObject({ level: 'error', err: { type: 'TypeError', message: 'bad input' } });
    expect(String((entries[1]!.err as { stack: string }).stack)).toContain('TypeError: bad input');
  });

  it('writes readable lines when pretty, with an error’s stack indented', () => {
    const { stream, lines } = collector();
    const logger = createLogger({ clock: new VirtualClock(), destination: stream, pretty: true });
    logger.info({ key: 'prod/web', attempt: 2 }, 'reconciled');
    logger.error({ err: new Error('boom') }, 'failed');
    const output = lines();
    expect(output[0]).toBe('2026-01-01T00:00:00.000Z INFO  reconciled key=prod/web attempt=2');
    expect(output[1]).toBe('2026-01-01T00:00:00.000Z ERROR failed');
    expect(output[2]).toBe('    Error: boom');
    expect(output[3]).toMatch(/^ {4}\s*at /);
  });

  it('silentLogger accepts everything and writes nothing', () => {
    expect(() => {
      silentLogger.info('x');
      silentLogger.child({ a: 1 }).error({ err: new Error('y') }, 'z');
    }).not.toThrow();
    expect(silentLogger.child({})).toBe(silentLogger);
  });
});
