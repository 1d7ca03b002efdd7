/**
 * EC2 wire adapter for instances: RunInstances (ClientToken idempotency, launch templates),
 * Terminate/Stop/StartInstances (previous and current state per instance), DescribeInstances
 * (reservations, filters, paging) and DescribeInstanceStatus. Calls record the state change and
 * its deadline; the instance controller completes it on the clock.
 */
import type {
  DescribeInstancesRequest,
  DescribeInstancesResult,
  DescribeInstanceStatusRequest,
  DescribeInstanceStatusResult,
  InstanceStateChange as WireStateChange,
  InstanceStatus,
  Reservation,
  RunInstancesRequest,
  StartInstancesRequest,
  StartInstancesResult,
  StopInstancesRequest,
  StopInstancesResult,
  TerminateInstancesRequest,
  TerminateInstancesResult,
} from '@aws-sdk/client-ec2';
import type { OperationHandler } from '../../kernel/operation.js';
import { zonesOf } from './availability-zone.js';
import { instancesOf, saveInstance, scopeOf, type Ec2Context } from './context.js';
import {
  cannotStart,
  cannotStop,
  invalidParameterCombination,
  spotCannotStop,
  stopProtected,
  terminationProtected,
} from './errors.js';
import { applyFilters } from './filters.js';
import {
  beginStart,
  beginStop,
  beginTermination,
  instanceState,
  toInstance,
  userShutdown,
  type InstanceRecord,
} from './instance.js';
import { INSTANCE_FILTERS, INSTANCE_STATUS_FILTERS, statusOf } from './instance-filters.js';
import { instanceTypeSpec } from './instance-types.js';
import { launchInstances } from './launcher.js';
import { requireInstances } from './lookup.js';
import { pageOf } from './paging.js';

const DESCRIBE_BOUNDS = { min: 5, max: 1000 };

export function toWireInstance(record: InstanceRecord) {
  const type = instanceTypeSpec(record.instanceType);
  const threadsPerCore = type?.threadsPerCore ?? 1;
  return toInstance(record, { cores: (type?.vCpus ?? 1) / threadsPerCore, threadsPerCore });
}

/** Instances grouped by reservation, reservations in the order their first instance appears. */
export function toReservations(records: readonly InstanceRecord[]): Reservation[] {
  const byId = new Map<string, InstanceRecord[]>();
  for (const record of records) {
    const group = byId.get(record.reservationId);
    if (group) group.push(record);
    else byId.set(record.reservationId, [record]);
  }
  return [...byId].map(([reservationId, members]) => ({
    ReservationId: reservationId,
    OwnerId: members[0]!.accountId,
    Groups: [],
    Instances: members.map(toWireInstance),
  }));
}

function stateChange(before: InstanceRecord, after: InstanceRecord): WireStateChange {
  return {
    InstanceId: before.instanceId,
    PreviousState: instanceState(before.state),
    CurrentState: instanceState(after.state),
  };
}

export function instanceOperations(ctx: Ec2Context) {
  const RunInstances: OperationHandler<RunInstancesRequest, Reservation> = (input, request) => {
    const scope = scopeOf(request);
    const records = launchInstances(ctx, scope, input);
    return toReservations(records)[0]!;
  };

  const TerminateInstances: OperationHandler<TerminateInstancesRequest, TerminateInstancesResult> = (
    input,
    request,
  ) => {
    const scope = scopeOf(request);
    const records = requireInstances(ctx, scope, input.InstanceIds ?? []);
    const nowMs = ctx.clock.now();
    // EC2 leaves alone every instance in a zone that holds a protected one, terminates the rest,
    // and fails the call (EC2 API Reference, TerminateInstances).
    const protectedOnes = records.filter(
      (record) => record.disableApiTermination && record.state !== 'terminated' && record.state !== 'shutting-down',
    );
    const blockedZones = new Set(protectedOnes.map((record) => record.availabilityZone));
    const changes: WireStateChange[] = [];
    ctx.store.transaction(() => {
      for (const record of records) {
        const next = blockedZones.has(record.availabilityZone)
          ? undefined
          : beginTermination(record, nowMs, ctx.timings.shutdownMs, userShutdown());
        if (next) saveInstance(ctx, record, next);
        changes.push(stateChange(record, next ?? record));
      }
    });
    if (protectedOnes.length > 0) throw terminationProtected(protectedOnes[0]!.instanceId);
    return { TerminatingInstances: changes };
  };

  const StopInstances: OperationHandler<StopInstancesRequest, StopInstancesResult> = (input, request) => {
    const scope = scopeOf(request);
    const records = requireInstances(ctx, scope, input.InstanceIds ?? []);
    const nowMs = ctx.clock.now();
    const outcomes = records.map((record) => {
      if (record.spot) throw spotCannotStop(record.instanceId);
      if (record.disableApiStop && record.state === 'running') throw stopProtected(record.instanceId);
      const outcome = beginStop(record, nowMs, ctx.timings.stopMs);
      if (outcome === 'refused') throw cannotStop(record.instanceId);
      return { record, next: outcome === 'unchanged' ? undefined : outcome };
    });
    ctx.store.transaction(() => {
      for (const { record, next } of outcomes) if (next) saveInstance(ctx, record, next);
    });
    return { StoppingInstances: outcomes.map(({ record, next }) => stateChange(record, next ?? record)) };
  };

  const StartInstances: OperationHandler<StartInstancesRequest, StartInstancesResult> = (input, request) => {
    const scope = scopeOf(request);
    const records = requireInstances(ctx, scope, input.InstanceIds ?? []);
    const nowMs = ctx.clock.now();
    const outcomes = records.map((record) => {
      const outcome = beginStart(record, nowMs, ctx.timings.startMs);
      if (outcome === 'refused') throw cannotStart(record.instanceId);
      return { record, next: outcome === 'unchanged' ? undefined : outcome };
    });
    ctx.store.transaction(() => {
      for (const { record, next } of outcomes) if (next) saveInstance(ctx, record, next);
    });
    return { StartingInstances: outcomes.map(({ record, next }) => stateChange(record, next ?? record)) };
  };

  const DescribeInstances: OperationHandler<DescribeInstancesRequest, DescribeInstancesResult> = (input, request) => {
    const scope = scopeOf(request);
    const ids = input.InstanceIds ?? [];
    if (ids.length > 0 && input.MaxResults !== undefined) {
      throw invalidParameterCombination('The parameter instancesSet cannot be used with the parameter maxResults');
    }
    let records = ids.length > 0 ? requireInstances(ctx, scope, ids) : instancesOf(ctx, scope);
    records = applyFilters(records, input.Filters, INSTANCE_FILTERS, (record) => record.tags);
    const page = pageOf(records, (record) => record.instanceId, input.MaxResults, input.NextToken, DESCRIBE_BOUNDS);
    return { Reservations: toReservations(page.items), NextToken: page.nextToken };
  };

  const DescribeInstanceStatus: OperationHandler<DescribeInstanceStatusRequest, DescribeInstanceStatusResult> = (
    input,
    request,
  ) => {
    const scope = scopeOf(request);
    const ids = input.InstanceIds ?? [];
    if (ids.length > 0 && input.MaxResults !== undefined) {
      throw invalidParameterCombination('The parameter instancesSet cannot be used with the parameter maxResults');
    }
    let records = ids.length > 0 ? requireInstances(ctx, scope, ids) : instancesOf(ctx, scope);
    // Without IncludeAllInstances EC2 reports running instances only.
    if (!input.IncludeAllInstances) records = records.filter((record) => record.state === 'running');
    records = applyFilters(records, input.Filters, INSTANCE_STATUS_FILTERS);
    const page = pageOf(records, (record) => record.instanceId, input.MaxResults, input.NextToken, DESCRIBE_BOUNDS);
    const zones = zonesOf(scope.region);
    return {
      InstanceStatuses: page.items.map((record): InstanceStatus => {
        const status = statusOf(record);
        const details = status === 'ok' ? [{ Name: 'reachability' as const, Status: 'passed' as const }] : undefined;
        return {
          InstanceId: record.instanceId,
          AvailabilityZone: record.availabilityZone,
          AvailabilityZoneId: zones.find((zone) => zone.zoneName === record.availabilityZone)?.zoneId,
          InstanceState: instanceState(record.state),
          InstanceStatus: { Status: status, Details: details },
          SystemStatus: { Status: status, Details: details },
          AttachedEbsStatus: { Status: status, Details: details },
          Events: [],
        };
      }),
      NextToken: page.nextToken,
    };
  };

  return { RunInstances, TerminateInstances, StopInstances, StartInstances, DescribeInstances, DescribeInstanceStatus };
}
