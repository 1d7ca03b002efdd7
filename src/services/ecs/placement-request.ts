/**
 * Placement constraints and strategies as RunTask (and later CreateService) takes them, checked
 * and turned into what the pure planner reads (B.10): at most 5 strategies, at most 10
 * constraints counting the task definition's own; `memberOf` expressions parsed with the
 * cluster query language; binpack on cpu|memory; spread on instanceId|host|attribute:<name>.
 */
import type { PlacementConstraint, PlacementStrategy } from '@aws-sdk/client-ecs';
import { ClusterQueryError, parseClusterQuery } from './cluster-query.js';
import { invalidParameter } from './errors.js';
import type { PlacementConstraintSpec, PlacementStrategySpec } from './placement.js';
import type { TaskDefinitionRecord } from './task-definition.js';

/** `M:ecs` RunTask: at most 5 strategies and 10 constraints (task definition's included). */
export const MAX_PLACEMENT_STRATEGIES = 5;
export const MAX_PLACEMENT_CONSTRAINTS = 10;

/** RunTask's and the task definition's constraints, parsed; throws InvalidParameterException. */
export function constraintSpecsOf(
  requested: readonly PlacementConstraint[],
  taskDefinition: TaskDefinitionRecord,
): PlacementConstraintSpec[] {
  const all = [...requested, ...(taskDefinition.extras.placementConstraints ?? [])];
  if (all.length > MAX_PLACEMENT_CONSTRAINTS) {
    throw invalidParameter(`The number of placement constraints cannot exceed ${MAX_PLACEMENT_CONSTRAINTS}.`);
  }
  return all.map((constraint) => {
    if (constraint.type === 'distinctInstance') {
      if (constraint.expression) throw invalidParameter('A distinctInstance constraint cannot have an expression.');
      return { type: 'distinctInstance' };
    }
    if (!constraint.expression) throw invalidParameter('A memberOf constraint requires an expression.');
    try {
      return { type: 'memberOf', query: parseClusterQuery(constraint.expression) };
    } catch (error) {
      if (error instanceof ClusterQueryError) {
        throw invalidParameter(`Invalid memberOf expression '${constraint.expression}': ${error.message}.`);
      }
      throw error;
    }
  });
}

export function strategySpecsOf(requested: readonly PlacementStrategy[]): PlacementStrategySpec[] {
  if (requested.length > MAX_PLACEMENT_STRATEGIES) {
    throw invalidParameter(`The number of placement strategies cannot exceed ${MAX_PLACEMENT_STRATEGIES}.`);
  }
  return requested.map((strategy) => {
    const field = strategy.field;
    switch (strategy.type) {
      case 'random':
        return { type: 'random' };
      case 'binpack': {
        const resource = field?.toLowerCase();
        if (resource !== 'cpu' && resource !== 'memory') {
          throw invalidParameter(`Invalid field '${field ?? ''}' for a binpack strategy: it must be cpu or memory.`);
        }
        return { type: 'binpack', field: resource };
      }
      case 'spread':
        if (!field || !(field === 'instanceId' || field === 'host' || /^attribute:.+/.test(field))) {
          throw invalidParameter(
            `Invalid field '${field ?? ''}' for a spread strategy: it must be instanceId, host or attribute:<name>.`,
          );
        }
        return { type: 'spread', field };
      default:
        throw invalidParameter(`Unknown placement strategy type '${String(strategy.type)}'.`);
    }
  });
}
