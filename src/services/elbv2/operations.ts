/**
 * ELBv2 wire adapter: every implemented operation, by the model's operation name, gathered from
 * the operations-*.ts files (one per AWS noun). Operations not listed here answer
 * `NotImplemented` from the gateway.
 */
import type { OperationTable } from '../../kernel/operation.js';
import type { Elbv2Context } from './context.js';
import { ACCOUNT_LIMITS } from './limits.js';
import { listenerOperations } from './operations-listener.js';
import { loadBalancerOperations } from './operations-load-balancer.js';
import { ruleOperations } from './operations-rule.js';
import { tagOperations } from './operations-tag.js';
import { targetGroupOperations } from './operations-target-group.js';
import { targetOperations } from './operations-target.js';
import { pageOf } from './paging.js';

export function elbv2OperationTable(ctx: Elbv2Context): OperationTable {
  return {
    ...loadBalancerOperations(ctx),
    ...listenerOperations(ctx),
    ...ruleOperations(ctx),
    ...targetGroupOperations(ctx),
    ...targetOperations(ctx),
    ...tagOperations(ctx),
    DescribeAccountLimits: (input: { Marker?: string; PageSize?: number }) => {
      const page = pageOf(ACCOUNT_LIMITS, (limit) => limit.Name, input.PageSize, input.Marker);
      return { Limits: page.items, NextMarker: page.nextMarker };
    },
  };
}
