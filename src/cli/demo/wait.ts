/**
 * Waiting on the wall clock for something drydock does (a demo is a client: it polls, as scripts
 * against AWS poll describe calls).
 */
import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

/** Polls `probe` every `everyMs` until it returns a value (not undefined/false); throws after `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  options: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(options.everyMs ?? 200);
  }
}
