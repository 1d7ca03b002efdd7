/**
 * Capacity provider strategies (B.8, `M:ecs` CapacityProviderStrategyItem,
 * `DG:ecs/cluster-capacity-providers`): checking one, and splitting tasks among its providers.
 * `base` tasks go to the one provider that sets a base first; every task after that goes where
 * the running split is furthest below the weights' ratio (base tasks left out of it), so weights
 * 1 and 4 put one task in five on the first provider. A provider of weight 0 takes no task unless
 * it is the strategy's only one. Pure functions.
 */
import type { CapacityProviderStrategyItem } from '@aws-sdk/client-ecs';
import { capacityProviderNameOf } from './capacity-provider.js';
import { invalidParameter } from './errors.js';

export interface StrategyItem {
  capacityProvider: string;
  base: number;
  weight: number;
}

/** UNCONFIRMED: the API reference's "a maximum of 20 capacity providers" per strategy. */
export const MAX_STRATEGY_ITEMS = 20;
export const MAX_BASE = 100_000;
export const MAX_WEIGHT = 1_000;

/**
 * A strategy as given, checked: known fields within their ranges, one provider at most once,
 * one base at most, and (with several providers) at least one positive weight. Messages
 * UNCONFIRMED except where marked.
 */
export function strategyOf(given: readonly CapacityProviderStrategyItem[]): StrategyItem[] {
  if (given.length > MAX_STRATEGY_ITEMS) {
    throw invalidParameter(
      `A capacity provider strategy can contain at most ${MAX_STRATEGY_ITEMS} capacity providers.`,
    );
  }
  const items = given.map((item) => {
    const base = item.base ?? 0;
    const weight = item.weight ?? 0;
    if (!item.capacityProvider) throw invalidParameter('A capacity provider strategy item needs a capacityProvider.');
    if (!Number.isInteger(base) || base < 0 || base > MAX_BASE) {
      throw invalidParameter(`The capacity provider strategy base must be between 0 and ${MAX_BASE}.`);
    }
    if (!Number.isInteger(weight) || weight < 0 || weight > MAX_WEIGHT) {
      throw invalidParameter(`The capacity provider strategy weight must be between 0 and ${MAX_WEIGHT}.`);
    }
    return { capacityProvider: item.capacityProvider, base, weight };
  });
  const names = new Set<string>();
  for (const item of items) {
    if (names.has(item.capacityProvider)) {
      throw invalidParameter(`Capacity provider ${item.capacityProvider} appears more than once in the strategy.`);
    }
    names.add(item.capacityProvider);
  }
  if (items.filter((item) => item.base > 0).length > 1) {
    throw invalidParameter('Only one capacity provider in a capacity provider strategy can have a base defined.');
  }
  if (items.length > 1 && items.every((item) => item.weight === 0)) {
    throw invalidParameter(
      'At least one capacity provider in a capacity provider strategy must have a weight greater than 0.',
    );
  }
  return items;
}

export function toStrategyItems(items: readonly StrategyItem[]): CapacityProviderStrategyItem[] {
  return items.map((item) => ({ capacityProvider: item.capacityProvider, base: item.base, weight: item.weight }));
}

/**
 * Which provider each of `count` new tasks goes to, given how many tasks (of this service, or
 * none for RunTask) each provider already holds.
 */
export function splitByStrategy(
  strategy: readonly StrategyItem[],
  existing: Readonly<Record<string, number>>,
  count: number,
): string[] {
  if (strategy.length === 0 || count <= 0) return [];
  const held = new Map(strategy.map((item) => [item.capacityProvider, existing[item.capacityProvider] ?? 0]));
  const weighted = strategy.some((item) => item.weight > 0) ? strategy.filter((item) => item.weight > 0) : strategy;
  const chosen: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const based = strategy.find((item) => item.base > 0 && held.get(item.capacityProvider)! < item.base);
    let pick = based;
    if (!pick) {
      let best = Number.POSITIVE_INFINITY;
      for (const item of weighted) {
        const beyondBase = held.get(item.capacityProvider)! - item.base;
        // The share after one more task, relative to its weight (weight 0 only when alone).
        const share = (Math.max(0, beyondBase) + 1) / Math.max(item.weight, 1);
        if (share < best) {
          best = share;
          pick = item;
        }
      }
    }
    const name = pick!.capacityProvider;
    held.set(name, held.get(name)! + 1);
    chosen.push(name);
  }
  return chosen;
}

/** `OBS:` ECS's words for a strategy naming a provider the cluster does not have. */
export const PROVIDER_NOT_ASSOCIATED =
  'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.';

/**
 * The strategy a RunTask or CreateService uses: the one given, else none when a launch type is
 * given, else the cluster's default (none: the EC2 launch type). Every provider it names must be
 * one of the cluster's.
 */
export function effectiveStrategy(
  clusterProviders: readonly string[],
  defaultStrategy: readonly StrategyItem[],
  launchType: string | undefined,
  given: readonly CapacityProviderStrategyItem[] | undefined,
): StrategyItem[] | undefined {
  if (given !== undefined && given.length > 0) {
    const items = strategyOf(given).map((item) => ({
      ...item,
      capacityProvider: capacityProviderNameOf(item.capacityProvider),
    }));
    if (items.some((item) => !clusterProviders.includes(item.capacityProvider))) {
      throw invalidParameter(PROVIDER_NOT_ASSOCIATED);
    }
    return items;
  }
  if (launchType !== undefined || defaultStrategy.length === 0) return undefined;
  return defaultStrategy.map((item) => ({ ...item }));
}
