import { expect, it } from 'vitest';
import { FunctionLog, LineSplitter, MAX_LINE_CHARS, MAX_TAIL_CHARS, reportLine, TailBuffer } from './function-log.js';

it('splits output into lines across chunks, UTF-8 characters included', () => {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  const text = Buffer.from('héllo\r\nwor');
  splitter.write(text.subarray(0, 2));
  splitter.write(text.subarray(2));
  splitter.write('ld\nlast');
  expect(lines).toEqual(['héllo', 'world']);
  splitter.end();
  expect(lines).toEqual(['héllo', 'world', 'last']);
});

it('keeps the newest lines, oldest first', () => {
  const log = new FunctionLog(3);
  for (let i = 1; i <= 5; i += 1) log.push({ atMs: i, line: `line ${i}` });
  expect(log.lines().map((entry) => entry.line)).toEqual(['line 3', 'line 4', 'line 5']);
});

it('writes the REPORT line as Lambda does', () => {
  expect(
    reportLine({ requestId: 'r1', durationMs: 12.345, memoryMiB: 128, maxMemoryUsedMiB: 52, initDurationMs: 80 }),
  ).toBe(
    'REPORT RequestId: r1\tDuration: 12.35 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 52 MB\tInit Duration: 80.00 ms',
  );
  expect(reportLine({ requestId: 'r2', durationMs: 0, memoryMiB: 256 })).toBe(
    'REPORT RequestId: r2\tDuration: 0.00 ms\tBilled Duration: 1 ms\tMemory Size: 256 MB',
  );
});

it('cuts endless lines and keeps only the end of a long invocation’s output', () => {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  splitter.write('x'.repeat(MAX_LINE_CHARS * 2 + 5));
  expect(lines.map((line) => line.length)).toEqual([MAX_LINE_CHARS, MAX_LINE_CHARS]);
  splitter.write(`${'y'.repeat(MAX_LINE_CHARS + 1)}\n`);
  expect(lines.map((line) => line.length).slice(2)).toEqual([MAX_LINE_CHARS, 6]);
  splitter.write('\n');
  expect(lines.at(-1)).toBe('');

  const tail = new TailBuffer();
  for (let i = 0; i < 10_000; i += 1) tail.push(`line ${i}`);
  expect(tail.text().length).toBeLessThanOrEqual(MAX_TAIL_CHARS);
  expect(tail.text().endsWith('line 9999\n')).toBe(true);
});
