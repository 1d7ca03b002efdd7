/**
 * Routing an event that arrived on a bus: every enabled rule of that bus whose pattern matches it
 * gets one delivery per target, with the target's input computed now (`UG:eb/eb-rules`). The
 * deliveries are recorded in the store and the delivery controller sends them on the clock, so
 * PutEvents (and an AWS service publishing) returns before any target is called.
 */
import { uuid } from '../../kernel/ids.js';
import type { EventsContext } from './context.js';
import type { DeliveryRecord } from './delivery.js';
import type { JsonObject, JsonValue } from './json-text.js';
import { compileEventPattern } from './pattern-compiler.js';
import { matchesEventPattern } from './pattern-matcher.js';
import type { EventPattern } from './pattern-model.js';
import type { EventsScope } from './ports.js';
import { isEnabled, rulePrefix, type RuleRecord } from './rule.js';
import { DEFAULT_MAXIMUM_EVENT_AGE_SECONDS, DEFAULT_MAXIMUM_RETRY_ATTEMPTS, type TargetRecord } from './target.js';
import { targetInput } from './target-input.js';

/** Compiled pattern cache is bounded; patterns are at most 4096 characters. */
const MAX_CACHED_PATTERNS = 10_000;

export interface EnvelopeFields {
  id: string;
  detailType: string;
  source: string;
  accountId: string;
  region: string;
  timeMs: number;
  resources: readonly string[];
  detail: JsonValue;
}

/** AWS writes `time` to the second (`UG:eb/eb-events`). */
export function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The envelope of E.1, its members in AWS's order. */
export function eventEnvelope(fields: EnvelopeFields): JsonObject {
  return new Map<string, JsonValue>([
    ['version', '0'],
    ['id', fields.id],
    ['detail-type', fields.detailType],
    ['source', fields.source],
    ['account', fields.accountId],
    ['time', eventTime(fields.timeMs)],
    ['region', fields.region],
    ['resources', [...fields.resources]],
    ['detail', fields.detail],
  ]);
}

export function compiledPattern(ctx: EventsContext, text: string): EventPattern {
  let pattern = ctx.patterns.get(text);
  if (!pattern) {
    pattern = compileEventPattern(text);
    if (ctx.patterns.size >= MAX_CACHED_PATTERNS) ctx.patterns.clear();
    ctx.patterns.set(text, pattern);
  }
  return pattern;
}

/** Records the deliveries an event on a bus causes; returns how many. */
export function routeEvent(
  ctx: EventsContext,
  scope: EventsScope,
  busName: string,
  envelope: JsonObject,
  ingestedAtMs: number,
): number {
  let count = 0;
  ctx.store.transaction(() => {
    for (const rule of ctx.tables.rules.withPrefix(rulePrefix(scope, busName))) {
      if (!isEnabled(rule) || rule.eventPattern === undefined || rule.targets.length === 0) continue;
      if (!matchesEventPattern(compiledPattern(ctx, rule.eventPattern), envelope)) continue;
      for (const target of rule.targets) {
        recordDelivery(ctx, rule, target, envelope, ingestedAtMs);
        count += 1;
      }
    }
  });
  return count;
}

export function recordDelivery(
  ctx: EventsContext,
  rule: RuleRecord,
  target: TargetRecord,
  envelope: JsonObject,
  ingestedAtMs: number,
): DeliveryRecord {
  const input = targetInput(target, {
    ruleArn: rule.arn,
    ruleName: rule.name,
    ingestionTimeMs: ingestedAtMs,
    event: envelope,
  });
  const record: DeliveryRecord = {
    id: uuid(ctx.random),
    accountId: rule.accountId,
    region: rule.region,
    ruleArn: rule.arn,
    ruleName: rule.name,
    targetId: target.Id,
    targetArn: target.Arn,
    input,
    ingestedAtMs,
    attempts: 0,
    nextAttemptAtMs: ingestedAtMs,
    maximumRetryAttempts: target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
    maximumEventAgeMs: (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000,
    ...(target.DeadLetterConfig?.Arn ? { deadLetterArn: target.DeadLetterConfig.Arn } : {}),
    ...(target.SqsParameters?.MessageGroupId ? { messageGroupId: target.SqsParameters.MessageGroupId } : {}),
  };
  ctx.tables.deliveries.put(record.id, record);
  return record;
}
