/**
 * Wire adapter for DescribeScalingActivities (A.9): in-progress activities first, then newest
 * first; the last six weeks only; ActivityIds (unknown ones ignored), the group, IncludeDeletedGroups,
 * the StartTimeLowerBound/StartTimeUpperBound/Status filters, MaxRecords (default and max 100).
 */
import type { ActivitiesType, DescribeScalingActivitiesType, Filter } from '@aws-sdk/client-auto-scaling';
import type { OperationHandler } from '../../kernel/operation.js';
import type { ActivityRecord } from './activity.js';
import { ACTIVITY_STATUS_CODES, activitySortKey, toActivity } from './activity.js';
import { validationError } from './errors.js';
import type { OperationsSupport } from './operations-support.js';
import { checkMaxRecords, page, sortBy } from './operations-support.js';
import { scopePrefix } from './store.js';

const MAX_RECORDS = 100;
const MAX_ACTIVITY_IDS = 50;
const RETENTION_MS = 42 * 24 * 3600_000;
const ACTIVITY_FILTERS = ['StartTimeLowerBound', 'StartTimeUpperBound', 'Status'];

export function activityOperations(support: OperationsSupport) {
  const DescribeScalingActivities: OperationHandler<DescribeScalingActivitiesType, ActivitiesType> = (input, ctx) => {
    checkMaxRecords(input.MaxRecords, MAX_RECORDS);
    const ids = input.ActivityIds ?? [];
    if (ids.length > MAX_ACTIVITY_IDS) {
      // Coral's words for a list longer than the service allows (the model carries no bound).
      throw validationError(
        `1 validation error detected: Value '[${ids.join(', ')}]' at 'activityIds' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ACTIVITY_IDS}`,
      );
    }
    const filters = input.Filters ?? [];
    for (const filter of filters) checkFilter(filter, input.AutoScalingGroupName);
    const includeDeleted = input.IncludeDeletedGroups ?? false;
    const oldestMs = support.nowMs() - RETENTION_MS;
    const selected = support.tables.activities
      .withPrefix(scopePrefix(ctx.accountId, ctx.region))
      .filter(
        (activity) =>
          activity.startTimeMs >= oldestMs &&
          (includeDeleted || !activity.groupDeleted) &&
          (input.AutoScalingGroupName === undefined || activity.autoScalingGroupName === input.AutoScalingGroupName) &&
          (ids.length === 0 || ids.includes(activity.activityId)) &&
          filters.every((filter) => matches(activity, filter)),
      );
    const result = page(
      sortBy(selected, activitySortKey),
      activitySortKey,
      input.MaxRecords ?? MAX_RECORDS,
      input.NextToken,
    );
    return {
      Activities: result.items.map((activity) => toActivity(activity, includeDeleted)),
      NextToken: result.nextToken,
    };
  };

  return { DescribeScalingActivities };
}

/** UNCONFIRMED wordings; the filter names and the group-name rule are from the spec. */
function checkFilter(filter: Filter, groupName: string | undefined): void {
  const name = filter.Name ?? '';
  if (!ACTIVITY_FILTERS.includes(name)) {
    throw validationError(`The filter '${name}' is not valid. Valid filters are: ${ACTIVITY_FILTERS.join(', ')}.`);
  }
  if (name === 'Status') {
    if (groupName === undefined) throw validationError('The Status filter requires an AutoScalingGroupName.');
    for (const value of filter.Values ?? []) {
      if (!(ACTIVITY_STATUS_CODES as readonly string[]).includes(value)) {
        throw validationError(`The value '${value}' of filter 'Status' is not a valid activity status code.`);
      }
    }
    return;
  }
  for (const value of filter.Values ?? []) {
    if (Number.isNaN(Date.parse(value)))
      throw validationError(`The value '${value}' of filter '${name}' is not a valid time.`);
  }
}

function matches(activity: ActivityRecord, filter: Filter): boolean {
  const values = filter.Values ?? [];
  switch (filter.Name) {
    case 'Status':
      return values.includes(activity.statusCode);
    case 'StartTimeLowerBound':
      return values.every((value) => activity.startTimeMs >= Date.parse(value));
    case 'StartTimeUpperBound':
      return values.every((value) => activity.startTimeMs <= Date.parse(value));
    default:
      return true;
  }
}
