import { describe, expect, it } from 'vitest';
import { ContainerLog, MAX_LOG_LINE_CHARS } from './container-log.js';

describe('ContainerLog', () => {
  it('keeps complete lines per stream with the time they arrived, and a partial line until its newline', () => {
    const log = new ContainerLog();
    log.append('stdout', Buffer.from('hello\nwor'), 1);
    log.append('stderr', 'oops\r\n', 2);
    expect(log.lines()).toEqual([
      { atMs: 1, stream: 'stdout', line: 'hello' },
      { atMs: 2, stream: 'stderr', line: 'oops' },
    ]);
    log.append('stdout', 'ld\n', 3);
    expect(log.lines().at(-1)).toEqual({ atMs: 3, stream: 'stdout', line: 'world' });
  });

  it('decodes UTF-8 split across chunks', () => {
    const log = new ContainerLog();
    const bytes = Buffer.from('héllo ✓\n');
    log.append('stdout', bytes.subarray(0, 2), 1);
    log.append('stdout', bytes.subarray(2), 1);
    expect(log.lines().map((entry) => entry.line)).toEqual(['héllo ✓']);
  });

  it('keeps the last partial line on flush (the process has exited)', () => {
    const log = new ContainerLog();
    log.append('stderr', 'no newline', 5);
    expect(log.size).toBe(0);
    log.flush(6);
    expect(log.lines()).toEqual([{ atMs: 6, stream: 'stderr', line: 'no newline' }]);
    log.flush(7);
    expect(log.size).toBe(1);
  });

  it('is a bounded ring: only the newest maxLines lines are kept, oldest first', () => {
    const log = new ContainerLog(3);
    for (let index = 1; index <= 7; index += 1) log.append('stdout', `line ${index}\n`, index);
    expect(log.lines().map((entry) => entry.line)).toEqual(['line 5', 'line 6', 'line 7']);
  });

  it('cuts a line longer than the maximum into pieces', () => {
    const log = new ContainerLog();
    log.append('stdout', 'x'.repeat(MAX_LOG_LINE_CHARS + 10), 1);
    expect(log.size).toBe(1);
    log.append('stdout', 'y\n', 2);
    expect(log.lines().map((entry) => entry.line.length)).toEqual([MAX_LOG_LINE_CHARS, 11]);
  });
});
