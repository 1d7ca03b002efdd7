/**
 * EventBridge wire adapter for targets: PutTargets, RemoveTargets, ListTargetsByRule (`M:ev`,
 * aws-semantics.md E.3). A target with the Id of an existing one replaces it; a rule holds at most
 * five (a sixth fails the whole call with LimitExceededException, as AWS answers it). Target ARNs
 * are not looked up here — AWS does not either — but delivery finds out.
 */
import { parseArn } from '../../kernel/ids.js';
import type { RequestContext } from '../../kernel/operation.js';
import { requireRule, scopeOf, type EventsContext } from './context.js';
import {
  invalidDeadLetterArn,
  invalidInputPath,
  invalidInputTransformer,
  invalidTargetArn,
  invalidTargetInput,
  limitExceeded,
  sqsParametersRequired,
  tooManyInputs,
} from './errors.js';
import { busNameOf } from './event-bus.js';
import { pageOf } from './paging.js';
import { ruleKey } from './rule.js';
import { MAX_TARGETS_PER_RULE, mergeTargets, type TargetRecord } from './target.js';
import { inputProblem } from './target-input.js';

function checkTarget(target: TargetRecord): void {
  const parsed = parseArn(target.Arn);
  if (!parsed) throw invalidTargetArn(target.Arn);
  if (parsed.service === 'sqs' && parsed.resource.endsWith('.fifo') && !target.SqsParameters) {
    throw sqsParametersRequired(target.Id);
  }
  const inputs = [target.Input, target.InputPath, target.InputTransformer].filter((value) => value !== undefined);
  if (inputs.length > 1) throw tooManyInputs(target.Id);
  const problem = inputProblem(target);
  if (problem?.member === 'Input') throw invalidTargetInput(target.Id, problem.reason);
  if (problem?.member === 'InputPath') throw invalidInputPath(target.Id, problem.reason);
  if (problem?.member === 'InputTransformer') throw invalidInputTransformer(target.Id, problem.reason);
  const deadLetterArn = target.DeadLetterConfig?.Arn;
  if (deadLetterArn !== undefined && parseArn(deadLetterArn)?.service !== 'sqs') {
    throw invalidDeadLetterArn(target.Id, deadLetterArn);
  }
}

export function targetOperations(ctx: EventsContext) {
  return {
    PutTargets: (input: { Rule: string; Targets: TargetRecord[]; EventBusName?: string }, request: RequestContext) => {
      const scope = scopeOf(request);
      const busName = busNameOf(scope, input.EventBusName);
      return ctx.store.transaction(() => {
        const rule = requireRule(ctx, scope, busName, input.Rule);
        for (const target of input.Targets) checkTarget(target);
        const targets = mergeTargets(rule.targets, input.Targets);
        if (targets.length > MAX_TARGETS_PER_RULE) throw limitExceeded();
        ctx.tables.rules.put(ruleKey(scope, busName, input.Rule), { ...rule, targets });
        return { FailedEntryCount: 0, FailedEntries: [] };
      });
    },

    RemoveTargets: (
      input: { Rule: string; Ids: string[]; EventBusName?: string; Force?: boolean },
      request: RequestContext,
    ) => {
      const scope = scopeOf(request);
      const busName = busNameOf(scope, input.EventBusName);
      return ctx.store.transaction(() => {
        const rule = requireRule(ctx, scope, busName, input.Rule);
        // UNCONFIRMED: an Id the rule does not have is not reported as a failed entry.
        const targets = rule.targets.filter((target) => !input.Ids.includes(target.Id));
        if (targets.length !== rule.targets.length)
          ctx.tables.rules.put(ruleKey(scope, busName, input.Rule), { ...rule, targets });
        return { FailedEntryCount: 0, FailedEntries: [] };
      });
    },

    ListTargetsByRule: (
      input: { Rule: string; EventBusName?: string; NextToken?: string; Limit?: number },
      request: RequestContext,
    ) => {
      const scope = scopeOf(request);
      const rule = requireRule(ctx, scope, busNameOf(scope, input.EventBusName), input.Rule);
      const indexed = rule.targets.map((target, index) => ({ target, key: String(index).padStart(4, '0') }));
      const page = pageOf(indexed, (item) => item.key, input.Limit, input.NextToken);
      return {
        Targets: page.items.map((item) => item.target),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  };
}
