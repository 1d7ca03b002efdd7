import { describe, expect, it } from 'vitest';
import type { ContainerSpec } from '../services/ecs/ports.js';
import { evaluateDependencies, readyToStop, type ContainerView } from './container-dependencies.js';

type Dependency = ContainerSpec['dependsOn'][number];
const container = (name: string, dependsOn: Dependency[] = []) => ({ name, dependsOn });
const view = (overrides: Partial<ContainerView> = {}): ContainerView => ({
  phase: 'waiting',
  started: false,
  exitCode: undefined,
  health: 'UNKNOWN',
  ...overrides,
});
const running = view({ phase: 'running', started: true });

describe('evaluateDependencies (ECS container dependency conditions)', () => {
  it('starts a container without dependencies at once', () => {
    expect(evaluateDependencies(container('app'), new Map())).toEqual({ kind: 'ready' });
  });

  it('START waits until the dependency has started', () => {
    const app = container('app', [{ containerName: 'db', condition: 'START' }]);
    expect(evaluateDependencies(app, new Map([['db', view({ phase: 'starting' })]]))).toEqual({ kind: 'wait' });
    expect(evaluateDependencies(app, new Map([['db', running]]))).toEqual({ kind: 'ready' });
  });

  it('COMPLETE waits for the dependency to exit, whatever its code', () => {
    const app = container('app', [{ containerName: 'init', condition: 'COMPLETE' }]);
    expect(evaluateDependencies(app, new Map([['init', running]]))).toEqual({ kind: 'wait' });
    const failed = view({ phase: 'exited', started: true, exitCode: 3 });
    expect(evaluateDependencies(app, new Map([['init', failed]]))).toEqual({ kind: 'ready' });
  });

  it('SUCCESS needs exit code 0; any other code blocks the container for good', () => {
    const app = container('app', [{ containerName: 'migrate', condition: 'SUCCESS' }]);
    const ok = view({ phase: 'exited', started: true, exitCode: 0 });
    expect(evaluateDependencies(app, new Map([['migrate', ok]]))).toEqual({ kind: 'ready' });
    const failed = evaluateDependencies(
      app,
      new Map([['migrate', view({ phase: 'exited', started: true, exitCode: 2 })]]),
    );
    expect(failed).toMatchObject({ kind: 'blocked' });
    expect(failed.kind === 'blocked' && failed.reason).toContain('migrate exited with code 2');
  });

  it('HEALTHY waits for HEALTHY and is blocked if the dependency exits first', () => {
    const app = container('app', [{ containerName: 'db', condition: 'HEALTHY' }]);
    expect(evaluateDependencies(app, new Map([['db', view({ ...running, health: 'UNHEALTHY' })]]))).toEqual({
      kind: 'wait',
    });
    expect(evaluateDependencies(app, new Map([['db', view({ ...running, health: 'HEALTHY' })]]))).toEqual({
      kind: 'ready',
    });
    expect(
      evaluateDependencies(app, new Map([['db', view({ phase: 'exited', started: true, exitCode: 0 })]])),
    ).toMatchObject({ kind: 'blocked' });
  });

  it('a dependency that could not start, or does not exist, blocks the container', () => {
    const app = container('app', [{ containerName: 'db', condition: 'START' }]);
    expect(evaluateDependencies(app, new Map([['db', view({ phase: 'exited', exitCode: null })]]))).toMatchObject({
      kind: 'blocked',
    });
    expect(evaluateDependencies(app, new Map())).toMatchObject({ kind: 'blocked' });
  });

  it('waits until every dependency is satisfied', () => {
    const app = container('app', [
      { containerName: 'a', condition: 'START' },
      { containerName: 'b', condition: 'START' },
    ]);
    expect(
      evaluateDependencies(
        app,
        new Map([
          ['a', running],
          ['b', view()],
        ]),
      ),
    ).toEqual({ kind: 'wait' });
  });
});

describe('readyToStop (shutdown is the reverse of startup)', () => {
  const containers = [container('proxy'), container('app', [{ containerName: 'proxy', condition: 'START' }])];

  it('holds a dependency until its dependents have exited', () => {
    expect(
      readyToStop(
        'proxy',
        containers,
        new Map([
          ['proxy', running],
          ['app', running],
        ]),
      ),
    ).toBe(false);
    expect(
      readyToStop(
        'app',
        containers,
        new Map([
          ['proxy', running],
          ['app', running],
        ]),
      ),
    ).toBe(true);
    const appExited = view({ phase: 'exited', started: true, exitCode: 0 });
    expect(
      readyToStop(
        'proxy',
        containers,
        new Map([
          ['proxy', running],
          ['app', appExited],
        ]),
      ),
    ).toBe(true);
  });
});
