/**
 * ECS container dependencies (`dependsOn`, agent ≥ 1.26.0): a container starts only once each
 * container it names has reached its condition (START, COMPLETE, SUCCESS, HEALTHY); "when a
 * dependency is defined for container startup, for container shutdown it is reversed", so a
 * container gets its SIGTERM only after the containers that depend on it have exited.
 * Pure functions over a snapshot of the task's containers.
 */
import type { ContainerSpec } from '../services/ecs/ports.js';

export type ContainerPhase = 'waiting' | 'starting' | 'running' | 'exited';

export interface ContainerView {
  phase: ContainerPhase;
  /** The process was started (spawned); false for one that exited without ever starting. */
  started: boolean;
  /** Set once exited: null when the container never started. */
  exitCode: number | null | undefined;
  health: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
}

export type DependencyVerdict = { kind: 'ready' } | { kind: 'wait' } | { kind: 'blocked'; reason: string };

/** Whether a waiting container may start now, must keep waiting, or never can. */
export function evaluateDependencies(
  container: Pick<ContainerSpec, 'name' | 'dependsOn'>,
  views: ReadonlyMap<string, ContainerView>,
): DependencyVerdict {
  let waiting = false;
  for (const { containerName, condition } of container.dependsOn) {
    const dependency = views.get(containerName);
    if (!dependency) {
      return blocked(`dependency container ${containerName} is not part of the task`);
    }
    const neverStarted = dependency.phase === 'exited' && !dependency.started;
    if (neverStarted) return blocked(`dependency container ${containerName} could not be started`);
    switch (condition) {
      case 'START':
        if (!dependency.started) waiting = true;
        break;
      case 'COMPLETE':
        if (dependency.phase !== 'exited') waiting = true;
        break;
      case 'SUCCESS':
        if (dependency.phase !== 'exited') waiting = true;
        else if (dependency.exitCode !== 0) {
          return blocked(
            `dependency container ${containerName} exited with code ${String(dependency.exitCode)}, not 0 (condition SUCCESS)`,
          );
        }
        break;
      case 'HEALTHY':
        if (dependency.phase === 'exited') {
          return blocked(`dependency container ${containerName} exited before it became HEALTHY`);
        }
        if (dependency.health !== 'HEALTHY') waiting = true;
        break;
    }
  }
  return waiting ? { kind: 'wait' } : { kind: 'ready' };
}

/**
 * Whether a running container may be sent its stop signal: every container of the task that
 * depends on it (any condition) has exited or never started.
 */
export function readyToStop(
  containerName: string,
  containers: ReadonlyArray<Pick<ContainerSpec, 'name' | 'dependsOn'>>,
  views: ReadonlyMap<string, ContainerView>,
): boolean {
  return containers.every((other) => {
    if (other.name === containerName) return true;
    if (!other.dependsOn.some((dependency) => dependency.containerName === containerName)) return true;
    const phase = views.get(other.name)?.phase;
    return phase === 'exited' || phase === 'waiting' || phase === undefined;
  });
}

function blocked(detail: string): DependencyVerdict {
  return { kind: 'blocked', reason: `DependencyConditionFailed: ${detail}` };
}
