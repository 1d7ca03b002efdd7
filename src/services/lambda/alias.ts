/**
 * A Lambda alias: a name for one version (`live` → `3`), optionally splitting traffic with one
 * more published version by weight (`RoutingConfig.AdditionalVersionWeights`, 0–1). Invoking
 * the alias picks the version by those weights; `ExecutedVersion` says which ran. An alias of
 * `$LATEST` cannot split traffic, and a version an alias points to cannot be deleted.
 */
import type { Random } from '../../kernel/random.js';
import { invalidParameter } from './errors.js';
import { functionArn, isVersionNumber, LATEST } from './function-reference.js';
import type { LambdaScope } from './ports.js';

export interface AliasRecord {
  accountId: string;
  region: string;
  functionName: string;
  name: string;
  functionVersion: string;
  description: string;
  /** version → weight in [0, 1]; at most one entry. */
  additionalVersionWeights: Record<string, number>;
  revisionId: string;
}

/** Throws AWS's InvalidParameterValueException for routing Lambda does not accept. */
export function checkRouting(
  functionVersion: string,
  weights: Record<string, number>,
  versionExists: (version: string) => boolean,
): void {
  const entries = Object.entries(weights);
  if (entries.length === 0) return;
  if (entries.length > 1)
    throw invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
  if (functionVersion === LATEST) {
    throw invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
  }
  for (const [version] of entries) {
    if (version === functionVersion) {
      throw invalidParameter(
        `Invalid function version ${version}. Function version ${version} is already included in routing configuration.`,
      );
    }
    if (!isVersionNumber(version) || !versionExists(version)) {
      throw invalidParameter(`Function version ${version} does not exist or is not a published version.`);
    }
  }
}

/** The version one invocation of the alias runs: the additional version with its weight's probability. */
export function pickAliasVersion(
  alias: Pick<AliasRecord, 'functionVersion' | 'additionalVersionWeights'>,
  random: Random,
): string {
  const [entry] = Object.entries(alias.additionalVersionWeights);
  if (!entry) return alias.functionVersion;
  const [version, weight] = entry;
  return random.float() < weight ? version : alias.functionVersion;
}

export function aliasArn(scope: LambdaScope, functionName: string, name: string): string {
  return functionArn(scope, functionName, name);
}

export function aliasToWire(alias: AliasRecord): Record<string, unknown> {
  const scope = { accountId: alias.accountId, region: alias.region };
  return {
    AliasArn: aliasArn(scope, alias.functionName, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    RevisionId: alias.revisionId,
    ...(Object.keys(alias.additionalVersionWeights).length > 0
      ? { RoutingConfig: { AdditionalVersionWeights: { ...alias.additionalVersionWeights } } }
      : {}),
  };
}
