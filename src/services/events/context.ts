/**
 * What EventBridge's operations, router and controllers share: the tables, the clock, the id and
 * jitter streams, the ports. `require*` lookups throw AWS's not-found errors; the default bus of a
 * scope is recorded the first time an operation touches that scope, as AWS has one per account
 * and region from the start.
 */
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { Random } from '../../kernel/random.js';
import type { Store } from '../../store/store.js';
import { eventBusNotFound, ruleNotFound } from './errors.js';
import { busKey, DEFAULT_BUS, defaultBusRecord, type EventBusRecord } from './event-bus.js';
import type { EventPattern } from './pattern-model.js';
import type { EventsPorts, EventsScope } from './ports.js';
import { ruleKey, type RuleRecord } from './rule.js';
import { eventsTables, type EventsTables } from './store.js';

export interface EventsContext {
  store: Store;
  clock: Clock;
  /** Event ids and delivery ids. */
  random: Random;
  /** Retry jitter. */
  jitter: Random;
  logger: Logger;
  ports: EventsPorts;
  tables: EventsTables;
  /** Compiled patterns by their text (a rule's pattern is compiled once, not per event). */
  patterns: Map<string, EventPattern>;
}

export function createContext(deps: Omit<EventsContext, 'tables' | 'patterns'>): EventsContext {
  return { ...deps, tables: eventsTables(deps.store), patterns: new Map() };
}

export function scopeOf(request: { accountId: string; region: string }): EventsScope {
  return { accountId: request.accountId, region: request.region };
}

/** Records the scope's default bus if this is the first time the scope is used. */
export function ensureDefaultBus(ctx: EventsContext, scope: EventsScope): void {
  const key = busKey(scope, DEFAULT_BUS);
  if (!ctx.tables.buses.has(key)) ctx.tables.buses.put(key, defaultBusRecord(scope, ctx.clock.now()));
}

export function requireBus(ctx: EventsContext, scope: EventsScope, name: string): EventBusRecord {
  if (name === DEFAULT_BUS) ensureDefaultBus(ctx, scope);
  const bus = ctx.tables.buses.get(busKey(scope, name));
  if (!bus) throw eventBusNotFound(name);
  return bus;
}

export function requireRule(ctx: EventsContext, scope: EventsScope, busName: string, name: string): RuleRecord {
  requireBus(ctx, scope, busName);
  const rule = ctx.tables.rules.get(ruleKey(scope, busName, name));
  if (!rule) throw ruleNotFound(name, busName);
  return rule;
}
