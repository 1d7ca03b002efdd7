/**
 * EventBridge wire adapter for event buses: CreateEventBus, DescribeEventBus, ListEventBuses,
 * DeleteEventBus (`M:ev`). The default bus cannot be created or deleted; deleting a custom bus
 * deletes its rules with it.
 */
import type { RequestContext } from '../../kernel/operation.js';
import { ensureDefaultBus, requireBus, scopeOf, type EventsContext } from './context.js';
import { cannotDeleteDefaultBus, eventBusAlreadyExists, limitExceeded, validationError } from './errors.js';
import { busKey, busNameOf, busPrefix, DEFAULT_BUS, eventBusArn, type EventBusRecord } from './event-bus.js';
import { pageOf } from './paging.js';
import { rulePrefix } from './rule.js';

/** UNCONFIRMED: the event-buses-per-account quota (adjustable) is 100. */
const MAX_BUSES = 100;

interface Tag {
  Key: string;
  Value: string;
}

function describe(bus: EventBusRecord) {
  return {
    Name: bus.name,
    Arn: bus.arn,
    ...(bus.description !== undefined ? { Description: bus.description } : {}),
    CreationTime: new Date(bus.createdAtMs),
    LastModifiedTime: new Date(bus.lastModifiedAtMs),
  };
}

export function eventBusOperations(ctx: EventsContext) {
  return {
    CreateEventBus: (
      input: {
        Name: string;
        EventSourceName?: string;
        Description?: string;
        KmsKeyIdentifier?: string;
        DeadLetterConfig?: { Arn?: string };
        Tags?: Tag[];
      },
      request: RequestContext,
    ) => {
      const scope = scopeOf(request);
      ensureDefaultBus(ctx, scope);
      if (input.EventSourceName !== undefined) {
        throw validationError(
          'drydock does not serve partner event sources; create a custom event bus without EventSourceName.',
        );
      }
      // UNCONFIRMED wording: only partner buses (aws.partner/…) may have '/' in their names.
      if (input.Name.includes('/'))
        throw validationError(`Event bus name ${input.Name} is not valid: only partner event buses may contain '/'.`);
      const key = busKey(scope, input.Name);
      if (ctx.tables.buses.has(key)) throw eventBusAlreadyExists(input.Name);
      if (ctx.tables.buses.withPrefix(busPrefix(scope)).length >= MAX_BUSES) throw limitExceeded();
      const nowMs = ctx.clock.now();
      const bus: EventBusRecord = {
        name: input.Name,
        arn: eventBusArn(scope, input.Name),
        accountId: scope.accountId,
        region: scope.region,
        createdAtMs: nowMs,
        lastModifiedAtMs: nowMs,
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        ...(input.DeadLetterConfig?.Arn ? { deadLetterArn: input.DeadLetterConfig.Arn } : {}),
        ...(input.KmsKeyIdentifier !== undefined ? { kmsKeyIdentifier: input.KmsKeyIdentifier } : {}),
        ...(input.Tags ? { tags: input.Tags } : {}),
      };
      ctx.tables.buses.put(key, bus);
      return {
        EventBusArn: bus.arn,
        ...(bus.description !== undefined ? { Description: bus.description } : {}),
        ...(bus.deadLetterArn ? { DeadLetterConfig: { Arn: bus.deadLetterArn } } : {}),
        ...(bus.kmsKeyIdentifier !== undefined ? { KmsKeyIdentifier: bus.kmsKeyIdentifier } : {}),
      };
    },

    DescribeEventBus: (input: { Name?: string }, request: RequestContext) => {
      const scope = scopeOf(request);
      const bus = requireBus(ctx, scope, busNameOf(scope, input.Name));
      return {
        ...describe(bus),
        ...(bus.deadLetterArn ? { DeadLetterConfig: { Arn: bus.deadLetterArn } } : {}),
        ...(bus.kmsKeyIdentifier !== undefined ? { KmsKeyIdentifier: bus.kmsKeyIdentifier } : {}),
      };
    },

    ListEventBuses: (input: { NamePrefix?: string; Limit?: number; NextToken?: string }, request: RequestContext) => {
      const scope = scopeOf(request);
      ensureDefaultBus(ctx, scope);
      const buses = ctx.tables.buses
        .withPrefix(busPrefix(scope))
        .filter((bus) => input.NamePrefix === undefined || bus.name.startsWith(input.NamePrefix));
      const page = pageOf(buses, (bus) => bus.name, input.Limit, input.NextToken);
      return { EventBuses: page.items.map(describe), ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
    },

    DeleteEventBus: (input: { Name: string }, request: RequestContext) => {
      const scope = scopeOf(request);
      if (input.Name === DEFAULT_BUS) throw cannotDeleteDefaultBus();
      // Deleting a bus that does not exist succeeds, as AWS's does.
      ctx.store.transaction(() => {
        for (const key of ctx.tables.rules.keys().filter((k) => k.startsWith(rulePrefix(scope, input.Name)))) {
          ctx.tables.rules.delete(key);
        }
        ctx.tables.buses.delete(busKey(scope, input.Name));
      });
      return {};
    },
  };
}
