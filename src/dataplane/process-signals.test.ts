import { describe, expect, it } from 'vitest';
import { exitCodeOf } from './process-signals.js';

describe('exitCodeOf (Docker exit codes)', () => {
  it('is the process exit code when it exited by itself', () => {
    expect(exitCodeOf(0, null)).toBe(0);
    expect(exitCodeOf(3, null)).toBe(3);
  });

  it('is 128 + the signal number when a signal ended it', () => {
    expect(exitCodeOf(null, 'SIGKILL')).toBe(137);
    expect(exitCodeOf(null, 'SIGTERM')).toBe(143);
    expect(exitCodeOf(null, 'SIGINT')).toBe(130);
  });
});
