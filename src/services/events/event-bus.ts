/**
 * Event buses (`M:ev` EventBus): every account and region has a `default` bus, which AWS services
 * publish to and which drydock records the first time the scope is used; custom buses are created
 * and deleted by name. Operations name a bus by name or by ARN
 * (`arn:aws:events:<region>:<account>:event-bus/<name>`).
 */
import { arn } from '../../kernel/ids.js';
import { eventBusNotFound, invalidEventBusName } from './errors.js';
import type { EventsScope } from './ports.js';

export const DEFAULT_BUS = 'default';

export interface EventBusRecord {
  name: string;
  arn: string;
  accountId: string;
  region: string;
  description?: string;
  deadLetterArn?: string;
  kmsKeyIdentifier?: string;
  createdAtMs: number;
  lastModifiedAtMs: number;
  tags?: Array<{ Key: string; Value: string }>;
}

export function eventBusArn(scope: EventsScope, name: string): string {
  return arn({ service: 'events', region: scope.region, accountId: scope.accountId, resource: `event-bus/${name}` });
}

/** `<account>|<region>|<name>`: one scope's buses are one prefix scan. */
export function busKey(scope: EventsScope, name: string): string {
  return `${scope.accountId}|${scope.region}|${name}`;
}

export function busPrefix(scope: EventsScope): string {
  return `${scope.accountId}|${scope.region}|`;
}

const BUS_ARN = /^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):event-bus\/(.+)$/;

/**
 * The bus name an EventBusName parameter means (default when absent). An ARN of another account
 * or region names a bus that is not in the caller's scope: not found.
 */
export function busNameOf(scope: EventsScope, nameOrArn: string | undefined): string {
  if (nameOrArn === undefined || nameOrArn === '') return DEFAULT_BUS;
  if (!nameOrArn.startsWith('arn:')) return nameOrArn;
  const match = BUS_ARN.exec(nameOrArn);
  if (!match) throw invalidEventBusName(nameOrArn);
  const [, region, accountId, name] = match as unknown as [string, string, string, string];
  if (region !== scope.region || accountId !== scope.accountId) throw eventBusNotFound(name);
  return name;
}

export function defaultBusRecord(scope: EventsScope, nowMs: number): EventBusRecord {
  return {
    name: DEFAULT_BUS,
    arn: eventBusArn(scope, DEFAULT_BUS),
    accountId: scope.accountId,
    region: scope.region,
    createdAtMs: nowMs,
    lastModifiedAtMs: nowMs,
  };
}
