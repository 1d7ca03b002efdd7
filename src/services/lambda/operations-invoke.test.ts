import { expect, it } from 'vitest';
import { logResult } from './operations-invoke.js';

it('returns the last 4 KB of the log in base64, never splitting a character', () => {
  expect(Buffer.from(logResult('START\nEND\n'), 'base64').toString()).toBe('START\nEND\n');
  const tail = Buffer.from(logResult(`${'a'.repeat(5000)}${'b'.repeat(4096)}`), 'base64');
  expect(tail.toString()).toBe('b'.repeat(4096));
  const withCharacterAtTheCut = Buffer.from(logResult(`${'x'.repeat(10)}é${'c'.repeat(4095)}`), 'base64').toString();
  expect(withCharacterAtTheCut).toBe('c'.repeat(4095));
});
