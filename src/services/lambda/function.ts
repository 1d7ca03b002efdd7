/**
 * A Lambda function: its `$LATEST` configuration and code, plus what belongs to the function as
 * a whole (tags, reserved concurrency, recursive-loop setting, the last version number handed
 * out: numbers are never reused, even after a version is deleted). Published versions are
 * separate, immutable records. Changes are in function-lifecycle.ts; resolving a qualifier
 * (`$LATEST`, `3`, `live`) to the version that runs is in context.ts.
 */
import type { EventInvokeConfig } from './async-invocation.js';
import type { VersionConfig } from './function-configuration.js';

export type RecursiveLoop = 'Allow' | 'Terminate';

export interface FunctionRecord {
  accountId: string;
  region: string;
  name: string;
  latest: VersionConfig;
  lastVersionNumber: number;
  tags: Record<string, string>;
  reservedConcurrency?: number;
  /** Unset until PutFunctionRecursionConfig; the service's default applies. */
  recursiveLoop?: RecursiveLoop;
  /** By qualifier ('' for the unqualified function). */
  eventInvokeConfigs: Record<string, EventInvokeConfig>;
  createdAtMs: number;
}

export interface VersionRecord {
  accountId: string;
  region: string;
  functionName: string;
  config: VersionConfig;
}
