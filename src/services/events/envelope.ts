/**
 * The EventBridge event envelope (`UG:eb/eb-events`): what every target of a rule receives.
 * AWS writes `time` to the second, without a fraction.
 */
import type { AwsEventInput } from './ports.js';

export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export function toEnvelope(input: AwsEventInput, id: string): EventEnvelope {
  return {
    version: '0',
    id,
    'detail-type': input.detailType,
    source: input.source,
    account: input.accountId,
    time: new Date(input.timeMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: input.region,
    resources: input.resources,
    detail: input.detail,
  };
}
