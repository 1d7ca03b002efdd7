/**
 * Lambda wire adapter for aliases: Create/Get/List/Update/DeleteAlias. An alias names `$LATEST`
 * or a published version of its function, optionally with weighted routing to one more
 * version; its RevisionId changes with every update and guards UpdateAlias. Deleting an alias
 * that does not exist succeeds, as Lambda's DeleteAlias does.
 */
import type { RequestContext } from '../../kernel/operation.js';
import { aliasArn, aliasToWire, checkRouting, type AliasRecord } from './alias.js';
import { findAlias, findVersion, requireAlias, requireFunction, scopeOf, type LambdaContext } from './context.js';
import { aliasAlreadyExists, functionNotFound, invalidParameter, revisionMismatch } from './errors.js';
import type { FunctionRecord } from './function.js';
import { unqualified } from './function-lifecycle.js';
import { functionArn, isVersionNumber } from './function-reference.js';
import type { LambdaScope } from './ports.js';
import { page } from './paging.js';
import { aliasKey, functionKey, policyKey } from './store.js';

interface AliasInput {
  FunctionName: string;
  Name: string;
  FunctionVersion?: string;
  Description?: string;
  RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
  RevisionId?: string;
}

export function aliasOperations(ctx: LambdaContext) {
  const requireVersion = (scope: LambdaScope, fn: FunctionRecord, version: string) => {
    if (!findVersion(ctx, scope, fn, version)) throw functionNotFound(functionArn(scope, fn.name, version));
  };
  const checkName = (name: string) => {
    if (isVersionNumber(name)) throw invalidParameter(`Alias name ${name} must not be a version number.`);
  };

  return {
    CreateAlias: (input: AliasInput & { FunctionVersion: string }, request: RequestContext) => {
      const { scope, name } = unqualified(scopeOf(request), input.FunctionName);
      checkName(input.Name);
      return ctx.store.transaction(() => {
        const fn = requireFunction(ctx, scope, name);
        if (findAlias(ctx, scope, name, input.Name)) throw aliasAlreadyExists(aliasArn(scope, name, input.Name));
        requireVersion(scope, fn, input.FunctionVersion);
        const weights = input.RoutingConfig?.AdditionalVersionWeights ?? {};
        checkRouting(input.FunctionVersion, weights, (version) => Boolean(findVersion(ctx, scope, fn, version)));
        const alias: AliasRecord = {
          accountId: scope.accountId,
          region: scope.region,
          functionName: name,
          name: input.Name,
          functionVersion: input.FunctionVersion,
          description: input.Description ?? '',
          additionalVersionWeights: { ...weights },
          revisionId: ctx.random.uuid(),
        };
        ctx.tables.aliases.put(aliasKey(scope, name, input.Name), alias);
        return aliasToWire(alias);
      });
    },

    GetAlias: (input: { FunctionName: string; Name: string }, request: RequestContext) => {
      const { scope, name } = unqualified(scopeOf(request), input.FunctionName);
      requireFunction(ctx, scope, name);
      return aliasToWire(requireAlias(ctx, scope, name, input.Name));
    },

    ListAliases: (
      input: { FunctionName: string; FunctionVersion?: string; Marker?: string; MaxItems?: number },
      request: RequestContext,
    ) => {
      const { scope, name } = unqualified(scopeOf(request), input.FunctionName);
      requireFunction(ctx, scope, name);
      const aliases = ctx.tables.aliases
        .withPrefix(`${functionKey(scope, name)}/`)
        .filter((alias) => input.FunctionVersion === undefined || alias.functionVersion === input.FunctionVersion);
      const result = page(aliases, (alias) => alias.name, input.MaxItems, input.Marker);
      return {
        Aliases: result.items.map(aliasToWire),
        ...(result.nextToken !== undefined ? { NextMarker: result.nextToken } : {}),
      };
    },

    UpdateAlias: (input: AliasInput, request: RequestContext) => {
      const { scope, name } = unqualified(scopeOf(request), input.FunctionName);
      return ctx.store.transaction(() => {
        const fn = requireFunction(ctx, scope, name);
        const alias = requireAlias(ctx, scope, name, input.Name);
        if (input.RevisionId !== undefined && input.RevisionId !== alias.revisionId) throw revisionMismatch();
        const functionVersion = input.FunctionVersion ?? alias.functionVersion;
        if (input.FunctionVersion !== undefined) requireVersion(scope, fn, functionVersion);
        const weights = input.RoutingConfig
          ? (input.RoutingConfig.AdditionalVersionWeights ?? {})
          : alias.additionalVersionWeights;
        checkRouting(functionVersion, weights, (version) => Boolean(findVersion(ctx, scope, fn, version)));
        const updated: AliasRecord = {
          ...alias,
          functionVersion,
          description: input.Description ?? alias.description,
          additionalVersionWeights: { ...weights },
          revisionId: ctx.random.uuid(),
        };
        ctx.tables.aliases.put(aliasKey(scope, name, input.Name), updated);
        return aliasToWire(updated);
      });
    },

    DeleteAlias: (input: { FunctionName: string; Name: string }, request: RequestContext) => {
      const { scope, name } = unqualified(scopeOf(request), input.FunctionName);
      ctx.store.transaction(() => {
        requireFunction(ctx, scope, name);
        ctx.tables.aliases.delete(aliasKey(scope, name, input.Name));
        ctx.tables.policies.delete(policyKey(scope, name, input.Name));
      });
      return {};
    },
  };
}
