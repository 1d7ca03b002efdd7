/**
 * Lambda's tables. Every key starts with `<account>/<region>/<function name>`, so one function's
 * versions, aliases and policies are a prefix scan; versions are zero-padded so they list in
 * number order. `asyncEvents` is the queue of `Event` invocations not yet finished: it survives a
 * restart, so an accepted event is retried at its deadline even if drydock stopped in between.
 * `eventSourceMappings` are keyed `<account>/<region>/<uuid>`.
 */
import type { Migration, Store, Table } from '../../store/store.js';
import type { AliasRecord } from './alias.js';
import type { AsyncEventRecord } from './async-invocation.js';
import type { EventSourceMappingRecord } from './event-source-mapping.js';
import type { FunctionRecord, VersionRecord } from './function.js';
import type { LambdaScope } from './ports.js';
import type { PolicyRecord } from './policy.js';

export const lambdaMigrations: Migration[] = [
  {
    service: 'lambda',
    version: 1,
    description: 'functions, published versions, aliases, resource policies and queued asynchronous invocations',
    up: (db) => {
      db.createTable('functions');
      db.createTable('versions');
      db.createTable('aliases');
      db.createTable('policies');
      db.createTable('asyncEvents');
    },
  },
  {
    service: 'lambda',
    version: 2,
    description: 'event source mappings (SQS queues triggering functions)',
    up: (db) => {
      db.createTable('eventSourceMappings');
    },
  },
];

export interface LambdaTables {
  functions: Table<FunctionRecord>;
  versions: Table<VersionRecord>;
  aliases: Table<AliasRecord>;
  policies: Table<PolicyRecord>;
  asyncEvents: Table<AsyncEventRecord>;
  eventSourceMappings: Table<EventSourceMappingRecord>;
}

export function lambdaTables(store: Store): LambdaTables {
  return {
    functions: store.table<FunctionRecord>('lambda', 'functions'),
    versions: store.table<VersionRecord>('lambda', 'versions'),
    aliases: store.table<AliasRecord>('lambda', 'aliases'),
    policies: store.table<PolicyRecord>('lambda', 'policies'),
    asyncEvents: store.table<AsyncEventRecord>('lambda', 'asyncEvents'),
    eventSourceMappings: store.table<EventSourceMappingRecord>('lambda', 'eventSourceMappings'),
  };
}

export function scopePrefix(scope: LambdaScope): string {
  return `${scope.accountId}/${scope.region}/`;
}

export function functionKey(scope: LambdaScope, name: string): string {
  return `${scope.accountId}/${scope.region}/${name}`;
}

export function versionKey(scope: LambdaScope, name: string, version: string): string {
  return `${functionKey(scope, name)}/${version.padStart(10, '0')}`;
}

export function aliasKey(scope: LambdaScope, name: string, alias: string): string {
  return `${functionKey(scope, name)}/${alias}`;
}

export function policyKey(scope: LambdaScope, name: string, qualifier: string): string {
  return `${functionKey(scope, name)}/${qualifier}`;
}

export function asyncEventKey(scope: LambdaScope, requestId: string): string {
  return `${scope.accountId}/${scope.region}/${requestId}`;
}

export function eventSourceMappingKey(scope: LambdaScope, uuid: string): string {
  return `${scope.accountId}/${scope.region}/${uuid}`;
}
