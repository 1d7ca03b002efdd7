/**
 * Lambda wire adapter for resource-based policies: AddPermission (one statement per StatementId,
 * on the function or on a version or alias), RemovePermission and GetPolicy. A policy's
 * RevisionId changes with each statement added or removed and guards both calls.
 */
import type { RequestContext } from '../../kernel/operation.js';
import { resolveVersion, scopeOf, type LambdaContext } from './context.js';
import { invalidParameter, resourceConflict, resourceNotFound, revisionMismatch } from './errors.js';
import { functionArn, LATEST, resolveReference } from './function-reference.js';
import { buildStatement, policyDocument, type AddPermissionInput, type PolicyRecord } from './policy.js';
import { policyKey } from './store.js';

interface PolicyTarget {
  FunctionName: string;
  Qualifier?: string;
  RevisionId?: string;
}

export function permissionOperations(ctx: LambdaContext) {
  /** The policy a request addresses; the function, version or alias must exist. */
  const target = (input: PolicyTarget, request: RequestContext) => {
    const reference = resolveReference(scopeOf(request), input.FunctionName, input.Qualifier);
    if (reference.qualifier === LATEST)
      throw invalidParameter('We currently do not support adding policies for $LATEST.');
    resolveVersion(ctx, reference);
    const qualifier = reference.qualifier ?? '';
    return {
      reference,
      key: policyKey(reference.scope, reference.name, qualifier),
      qualifier,
      resourceArn: functionArn(reference.scope, reference.name, reference.qualifier),
    };
  };

  return {
    AddPermission: (input: AddPermissionInput & PolicyTarget, request: RequestContext) => {
      const { reference, key, qualifier, resourceArn } = target(input, request);
      return ctx.store.transaction(() => {
        const existing = ctx.tables.policies.get(key);
        if (input.RevisionId !== undefined && input.RevisionId !== existing?.revisionId)
          throw revisionMismatch('GetPolicy');
        if (existing?.statements.some((statement) => statement.Sid === input.StatementId)) {
          throw resourceConflict(
            `The statement id (${input.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
          );
        }
        const statement = buildStatement(input, resourceArn);
        const policy: PolicyRecord = {
          accountId: reference.scope.accountId,
          region: reference.scope.region,
          functionName: reference.name,
          qualifier,
          statements: [...(existing?.statements ?? []), statement],
          revisionId: ctx.random.uuid(),
        };
        ctx.tables.policies.put(key, policy);
        return { Statement: JSON.stringify(statement) };
      });
    },

    RemovePermission: (input: PolicyTarget & { StatementId: string }, request: RequestContext) => {
      const { key } = target(input, request);
      ctx.store.transaction(() => {
        const existing = ctx.tables.policies.get(key);
        if (!existing) throw resourceNotFound('No policy is associated with the given resource.');
        if (input.RevisionId !== undefined && input.RevisionId !== existing.revisionId)
          throw revisionMismatch('GetPolicy');
        const statements = existing.statements.filter((statement) => statement.Sid !== input.StatementId);
        if (statements.length === existing.statements.length) {
          throw resourceNotFound(`Statement ${input.StatementId} is not found in resource policy.`);
        }
        if (statements.length === 0) ctx.tables.policies.delete(key);
        else ctx.tables.policies.put(key, { ...existing, statements, revisionId: ctx.random.uuid() });
      });
      return {};
    },

    GetPolicy: (input: PolicyTarget, request: RequestContext) => {
      const { key } = target(input, request);
      const policy = ctx.tables.policies.get(key);
      if (!policy) throw resourceNotFound();
      return { Policy: policyDocument(policy.statements), RevisionId: policy.revisionId };
    },
  };
}
