/**
 * `drydock demo` as a newcomer runs it, from the built command: it starts drydock in-process at
 * 60×, builds seed 000's fleet, refreshes it under load and must report "0 failed requests" and
 * exit 0, within the 2 minutes of wall time it promises. `--managed` does the same with ECS's
 * managed draining where this drydock has capacity providers; where it has not, it must refuse at
 * once, saying what is missing (the same probe decides which, so the test asserts one outcome).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managedDrainingMissing } from '../../src/cli/demo/capacity-provider-probe.js';
import { startTestDrydock, type TestDrydock } from '../support/drydock.js';
import { DRYDOCK_BIN } from '../support/process.js';

const WALL_LIMIT_MS = 120_000;

interface DemoRun {
  code: number | string;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/** Runs `drydock demo …`, killing it by its pid if it outlives the promised 2 minutes. */
function demo(args: string[]): Promise<DemoRun> {
  const started = Date.now();
  const child = spawn(process.execPath, [DRYDOCK_BIN, 'demo', ...args], { env: { ...process.env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const limit = setTimeout(() => {
    if (child.pid !== undefined) process.kill(child.pid, 'SIGINT');
  }, WALL_LIMIT_MS + 10_000);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      resolve({ code: code ?? signal ?? 'unknown', stdout, stderr, wallMs: Date.now() - started });
    }),
  );
}

describe('drydock demo', () => {
  it('refreshes the fleet under load: hook and drain function, 0 failed requests', { timeout: 180_000 }, async () => {
    const run = await demo(['--plain']);
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.code, output).toBe(0);
    expect(run.wallMs).toBeLessThan(WALL_LIMIT_MS);
    expect(run.stdout).toContain(', 0 failed requests');
    expect(run.stdout).toMatch(/failed requests\s+0\n/);
    // The story was told from drydock's own events and state.
    for (const line of [
      'Terminating:Wait, lifecycle action open on hook',
      'container instance DRAINING',
      'drain function: UpdateContainerInstancesState',
      'drain function: heartbeat for',
      'draining: no new requests',
      'stopping: Service web: container instance is in DRAINING state',
      'CompleteLifecycleAction CONTINUE',
      'instance refresh succeeded',
    ]) {
      expect(run.stdout, line).toContain(line);
    }
    expect(run.stdout).toMatch(/instance refresh\s+Successful, 100%/);
    expect(run.stdout).toMatch(/instances replaced\s+3 terminated, 3 launched/);
    expect(run.stdout).toMatch(/lifecycle actions completed\s+3 of 3/);
    expect(run.stdout).toContain('drain function, CompleteLifecycleAction CONTINUE: 3');
    expect(run.stdout).toMatch(/requests served\s+[1-9][\d,]*\n/);
  });

  describe('--managed', () => {
    let drydock: TestDrydock;
    let missing: string | undefined;
    beforeAll(async () => {
      drydock = await startTestDrydock();
      missing = await managedDrainingMissing(drydock.clients().ecs, 'probe', 'us-east-1');
    });
    afterAll(async () => drydock?.close());

    it('tells the same story with managed draining, or says at once what it lacks', { timeout: 180_000 }, async () => {
      const run = await demo(['--managed', '--plain']);
      const output = `${run.stdout}\n${run.stderr}`;
      if (missing === undefined) {
        expect(run.code, output).toBe(0);
        expect(run.wallMs).toBeLessThan(WALL_LIMIT_MS);
        expect(run.stdout).toContain(', 0 failed requests');
        expect(run.stdout).toContain('ecs-managed-draining-termination-hook');
        expect(run.stdout).toMatch(/lifecycle actions completed\s+3 of 3/);
        expect(run.stdout).toContain('ECS managed draining (CONTINUE): 3');
      } else {
        expect(run.code, output).toBe(2);
        expect(run.wallMs).toBeLessThan(20_000);
        expect(run.stderr).toContain('--managed needs ECS capacity providers with managed draining: ');
        expect(run.stderr).toContain(missing);
        expect(run.stderr).not.toContain('    at ');
      }
    });
  });
});
