/**
 * Auto Scaling wire adapter. Only reads are here so far; operations not listed answer
 * `NotImplemented` from the gateway until the group machinery lands.
 */
import type { AutoScalingGroupNamesType, AutoScalingGroupsType } from '@aws-sdk/client-auto-scaling';
import type { OperationHandler, OperationTable } from '../../kernel/operation.js';
import { InvalidPageToken, paginate } from '../../kernel/pagination.js';
import type { Store } from '../../store/store.js';
import { invalidNextToken, validationError } from './errors.js';
import { KNOWN_FILTER_NAMES, matchesFilters, toAutoScalingGroup } from './group.js';
import { autoscalingTables, groupKey } from './store.js';

export interface AutoScalingDeps {
  store: Store;
}

/** DescribeAutoScalingGroups returns 50 groups a page unless MaxRecords says otherwise. */
const DEFAULT_MAX_RECORDS = 50;
/** AWS documents MaxRecords as at most 100; botocore's model carries no range for it. */
const MAX_RECORDS_LIMIT = 100;

export function autoscalingOperations(deps: AutoScalingDeps): OperationTable {
  const { groups } = autoscalingTables(deps.store);

  const DescribeAutoScalingGroups: OperationHandler<AutoScalingGroupNamesType, AutoScalingGroupsType> = (
    input,
    ctx,
  ) => {
    if (input.MaxRecords !== undefined && (input.MaxRecords < 1 || input.MaxRecords > MAX_RECORDS_LIMIT)) {
      const bound = input.MaxRecords < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_RECORDS_LIMIT}`;
      throw validationError(
        `1 validation error detected: Value '${input.MaxRecords}' at 'maxRecords' failed to satisfy constraint: Member must have value ${bound}`,
      );
    }
    for (const filter of input.Filters ?? []) {
      const name = filter.Name ?? '';
      if (!KNOWN_FILTER_NAMES.includes(name) && !name.startsWith('tag:')) {
        throw validationError(`The filter '${name}' is not valid.`);
      }
    }
    const names = input.AutoScalingGroupNames ?? [];
    const inScope = groups.withPrefix(groupKey(ctx.accountId, ctx.region, ''));
    const selected = inScope.filter(
      (record) =>
        (names.length === 0 || names.includes(record.autoScalingGroupName)) &&
        matchesFilters(record, input.Filters ?? []),
    );
    try {
      const page = paginate(
        selected,
        (record) => record.autoScalingGroupName,
        input.MaxRecords ?? DEFAULT_MAX_RECORDS,
        input.NextToken,
      );
      return { AutoScalingGroups: page.items.map(toAutoScalingGroup), NextToken: page.nextToken };
    } catch (error) {
      if (error instanceof InvalidPageToken) throw invalidNextToken();
      throw error;
    }
  };

  return { DescribeAutoScalingGroups };
}
