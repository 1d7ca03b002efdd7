/**
 * EventBridge wire adapter for events: PutEvents (custom events onto a bus, `M:ev`,
 * `UG:eb/eb-putevents`) and TestEventPattern. PutEvents validates each entry on its own — a bad
 * entry is a failed entry, not a failed call — records the deliveries the event causes and
 * returns; the targets are called later by the delivery controller.
 */
import { uuid } from '../../kernel/ids.js';
import type { RequestContext } from '../../kernel/operation.js';
import { ServiceError } from '../../kernel/service-error.js';
import { ensureDefaultBus, scopeOf, type EventsContext } from './context.js';
import { invalidTestEvent, putEventsTooLarge } from './errors.js';
import { busKey, busNameOf } from './event-bus.js';
import { compiledPattern, eventEnvelope, routeEvent } from './event-router.js';
import { isJsonObject, JsonSyntaxError, parseJson, type JsonObject } from './json-text.js';
import { matchesEventPattern } from './pattern-matcher.js';
import type { EventsScope } from './ports.js';

interface PutEventsEntry {
  Time?: Date;
  Source?: string;
  Resources?: string[];
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  TraceHeader?: string;
}

type ResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** PutEvents takes at most 256 KB per request (`UG:eb/eb-putevent-size`). */
export const MAX_PUT_EVENTS_BYTES = 256 * 1024;

/** The size AWS charges an entry: Time 14 bytes, then the UTF-8 bytes of its strings. */
export function entrySize(entry: PutEventsEntry): number {
  const bytes = (text: string | undefined) => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));
  return (
    (entry.Time ? 14 : 0) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((sum, resource) => sum + bytes(resource), 0)
  );
}

const failed = (ErrorCode: string, ErrorMessage: string): ResultEntry => ({ ErrorCode, ErrorMessage });

/** OBS (quoted from AWS answers in public issues and in snapshot tests validated against AWS). */
function entryProblem(entry: PutEventsEntry): ResultEntry | undefined {
  for (const member of ['Source', 'DetailType', 'Detail'] as const) {
    if (entry[member] === undefined || entry[member] === '') {
      return failed('InvalidArgument', `Parameter ${member} is not valid. Reason: ${member} is a required argument.`);
    }
  }
  return undefined;
}

/**
 * TestEventPattern's Event must carry these envelope fields. AWS's reference also lists
 * `resources`, but AWS does not require it (as projects validated against AWS found).
 */
const REQUIRED_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

export function eventOperations(ctx: EventsContext) {
  function putEntry(scope: EventsScope, entry: PutEventsEntry, ingestedAtMs: number): ResultEntry {
    const problem = entryProblem(entry);
    if (problem) return problem;
    let detail: JsonObject;
    try {
      const parsed = parseJson(entry.Detail!);
      if (!isJsonObject(parsed)) return failed('MalformedDetail', 'Detail is malformed.');
      detail = parsed;
    } catch (error) {
      if (error instanceof JsonSyntaxError) return failed('MalformedDetail', 'Detail is malformed.');
      throw error;
    }
    // `aws.` sources are AWS's own: a caller may not impersonate them (OBS).
    if (entry.Source!.startsWith('aws.'))
      return failed('NotAuthorizedForSourceException', 'Not authorized for the source.');
    let busName: string;
    try {
      busName = busNameOf(scope, entry.EventBusName);
    } catch (error) {
      if (error instanceof ServiceError && error.code === 'ValidationException')
        return failed('InvalidArgument', error.message);
      if (error instanceof ServiceError) busName = '';
      else throw error;
    }
    const eventId = uuid(ctx.random);
    // AWS accepts events for a bus that does not exist and drops them (OBS: aws/aws-cli#9186).
    if (busName === '' || !ctx.tables.buses.has(busKey(scope, busName))) {
      ctx.logger.warn({ eventBusName: entry.EventBusName, eventId }, 'PutEvents: no such event bus; event dropped');
      return { EventId: eventId };
    }
    const envelope = eventEnvelope({
      id: eventId,
      detailType: entry.DetailType!,
      source: entry.Source!,
      accountId: scope.accountId,
      region: scope.region,
      timeMs: entry.Time ? entry.Time.getTime() : ingestedAtMs,
      resources: entry.Resources ?? [],
      detail,
    });
    routeEvent(ctx, scope, busName, envelope, ingestedAtMs);
    return { EventId: eventId };
  }

  return {
    PutEvents: (input: { Entries: PutEventsEntry[]; EndpointId?: string }, request: RequestContext) => {
      const scope = scopeOf(request);
      if (input.Entries.reduce((sum, entry) => sum + entrySize(entry), 0) > MAX_PUT_EVENTS_BYTES) {
        throw putEventsTooLarge();
      }
      const ingestedAtMs = ctx.clock.now();
      const entries = ctx.store.transaction(() => {
        ensureDefaultBus(ctx, scope);
        return input.Entries.map((entry) => putEntry(scope, entry, ingestedAtMs));
      });
      return { FailedEntryCount: entries.filter((entry) => 'ErrorCode' in entry).length, Entries: entries };
    },

    TestEventPattern: (input: { EventPattern: string; Event: string }) => {
      const pattern = compiledPattern(ctx, input.EventPattern);
      let event;
      try {
        event = parseJson(input.Event);
      } catch (error) {
        if (error instanceof JsonSyntaxError) throw invalidTestEvent();
        throw error;
      }
      if (!isJsonObject(event) || REQUIRED_EVENT_FIELDS.some((field) => !event.has(field))) throw invalidTestEvent();
      return { Result: matchesEventPattern(pattern, event) };
    },
  };
}
