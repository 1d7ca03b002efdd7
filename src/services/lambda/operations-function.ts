/**
 * Lambda wire adapter for functions and versions: Create/Get/List/DeleteFunction,
 * GetFunctionConfiguration, UpdateFunctionCode/Configuration, PublishVersion and
 * ListVersionsByFunction. `FunctionArn` is unqualified for `$LATEST` asked without a qualifier,
 * and carries the qualifier the caller used otherwise, as AWS answers.
 */
import type { RequestContext } from '../../kernel/operation.js';
import { resolveVersion, scopeOf, scopeOfFunction, type LambdaContext } from './context.js';
import type { FunctionRecord } from './function.js';
import { functionConfigurationToWire, type VersionConfig } from './function-configuration.js';
import {
  createFunction,
  deleteFunction,
  publishVersion,
  unqualified,
  updateFunctionCode,
  updateFunctionConfiguration,
  type ConfigurationInput,
  type CreateFunctionInput,
  type UpdateCodeInput,
} from './function-lifecycle.js';
import { LATEST, resolveReference } from './function-reference.js';
import { page } from './paging.js';
import { functionKey, scopePrefix } from './store.js';

interface QualifiedInput {
  FunctionName: string;
  Qualifier?: string;
}

export function functionOperations(ctx: LambdaContext) {
  const wire = (fn: FunctionRecord, config: VersionConfig, arnQualifier?: string) =>
    functionConfigurationToWire(scopeOfFunction(fn), fn.name, config, arnQualifier);
  const latestOrPublished = (result: { fn: FunctionRecord; published?: VersionConfig }) =>
    result.published ? wire(result.fn, result.published, result.published.version) : wire(result.fn, result.fn.latest);
  const configurationOf = (input: QualifiedInput, request: RequestContext) => {
    const reference = resolveReference(scopeOf(request), input.FunctionName, input.Qualifier);
    const { fn, config } = resolveVersion(ctx, reference);
    return { fn, config, wire: wire(fn, config, reference.qualifier) };
  };

  return {
    CreateFunction: async (input: CreateFunctionInput, request: RequestContext) =>
      latestOrPublished(await createFunction(ctx, scopeOf(request), input)),

    GetFunction: (input: QualifiedInput, request: RequestContext) => {
      const { fn, config, wire: configuration } = configurationOf(input, request);
      return {
        Configuration: configuration,
        Code: { RepositoryType: 'S3', Location: ctx.codeStorage.location(config.code) },
        ...(Object.keys(fn.tags).length > 0 ? { Tags: { ...fn.tags } } : {}),
        ...(fn.reservedConcurrency !== undefined
          ? { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } }
          : {}),
      };
    },

    GetFunctionConfiguration: (input: QualifiedInput, request: RequestContext) => configurationOf(input, request).wire,

    ListFunctions: (
      input: { FunctionVersion?: string; Marker?: string; MaxItems?: number; MasterRegion?: string },
      request: RequestContext,
    ) => {
      const scope = scopeOf(request);
      const entries = ctx.tables.functions.withPrefix(scopePrefix(scope)).flatMap((fn) => {
        const key = functionKey(scope, fn.name);
        if (input.FunctionVersion !== 'ALL') return [{ key: `${key}/`, fn, config: fn.latest, qualifier: undefined }];
        // With FunctionVersion ALL every version is listed, $LATEST under its qualified ARN too.
        const versions = ctx.tables.versions.withPrefix(`${key}/`).map((version) => ({
          key: `${key}/${version.config.version.padStart(10, '0')}`,
          fn,
          config: version.config,
          qualifier: version.config.version,
        }));
        return [{ key: `${key}/`, fn, config: fn.latest, qualifier: LATEST as string | undefined }, ...versions];
      });
      const result = page(entries, (entry) => entry.key, input.MaxItems, input.Marker);
      return {
        Functions: result.items.map((entry) => wire(entry.fn, entry.config, entry.qualifier)),
        ...(result.nextToken !== undefined ? { NextMarker: result.nextToken } : {}),
      };
    },

    DeleteFunction: (input: QualifiedInput, request: RequestContext) => {
      deleteFunction(ctx, scopeOf(request), input.FunctionName, input.Qualifier);
      return {};
    },

    UpdateFunctionCode: async (input: UpdateCodeInput, request: RequestContext) =>
      latestOrPublished(await updateFunctionCode(ctx, scopeOf(request), input)),

    UpdateFunctionConfiguration: (
      input: ConfigurationInput & { FunctionName: string; RevisionId?: string },
      request: RequestContext,
    ) => {
      const fn = updateFunctionConfiguration(ctx, scopeOf(request), input);
      return wire(fn, fn.latest);
    },

    PublishVersion: (
      input: { FunctionName: string; CodeSha256?: string; Description?: string; RevisionId?: string },
      request: RequestContext,
    ) => {
      const { scope, name } = unqualified(scopeOf(request), input.FunctionName);
      const config = publishVersion(ctx, scope, name, input);
      const fn = resolveVersion(ctx, { scope, name }).fn;
      return wire(fn, config, config.version);
    },

    ListVersionsByFunction: (
      input: { FunctionName: string; Marker?: string; MaxItems?: number },
      request: RequestContext,
    ) => {
      const { scope, name } = unqualified(scopeOf(request), input.FunctionName);
      const { fn } = resolveVersion(ctx, { scope, name });
      const key = functionKey(scope, name);
      const entries = [
        { key: `${key}/`, config: fn.latest },
        ...ctx.tables.versions
          .withPrefix(`${key}/`)
          .map((version) => ({ key: `${key}/${version.config.version.padStart(10, '0')}`, config: version.config })),
      ];
      const result = page(entries, (entry) => entry.key, input.MaxItems, input.Marker);
      return {
        Versions: result.items.map((entry) => wire(fn, entry.config, entry.config.version)),
        ...(result.nextToken !== undefined ? { NextMarker: result.nextToken } : {}),
      };
    },
  };
}
