/**
 * Launching instances for RunInstances and for Auto Scaling: resolve the launch template version,
 * lay the request over it, place the instances, and record them `pending` in one transaction.
 * RunInstances with a ClientToken already used in the account and Region returns the instances
 * that token launched instead of launching again (EC2 "Ensuring idempotency").
 */
import type { RunInstancesRequest } from '@aws-sdk/client-ec2';
import type { LaunchRequest } from '../autoscaling/ports.js';
import { defaultNetwork, instancesOf, saveInstance, type Ec2Context } from './context.js';
import { insufficientAddresses, invalidParameterValue } from './errors.js';
import type { InstanceRecord } from './instance.js';
import { parseCidr, usableAddressCount } from './ip-address.js';
import {
  overlaySpec,
  placeLaunch,
  planLaunch,
  specFromRunInstances,
  specFromTemplate,
  type LaunchPlanInput,
  type LaunchSpec,
} from './launch.js';
import { requireTemplate, requireVersion } from './lookup.js';
import { scopePrefix, type Scope } from './store.js';
import type { ResourceTag } from './tags.js';

interface LaunchOptions {
  minCount: number;
  maxCount: number;
  launchTemplate?: LaunchPlanInput['launchTemplate'];
  clientToken?: string;
  serviceTags?: ResourceTag[];
}

/** MinCount/MaxCount as EC2 checks them. */
export function requireCounts(minCount: number | undefined, maxCount: number | undefined): void {
  if (minCount === undefined || minCount < 1) {
    throw invalidParameterValue(
      `Value (${minCount ?? ''}) for parameter minCount is invalid. Expected a value greater than 0.`,
    );
  }
  if (maxCount === undefined || maxCount < minCount) {
    throw invalidParameterValue(
      `Value (${maxCount ?? ''}) for parameter maxCount is invalid. Expected a value greater than or equal to minCount (${minCount}).`,
    );
  }
}

function templateSpec(
  ctx: Ec2Context,
  scope: Scope,
  name: { launchTemplateId?: string; launchTemplateName?: string },
  version: string | undefined,
): { spec: LaunchSpec; launchTemplate: NonNullable<LaunchPlanInput['launchTemplate']> } {
  const template = requireTemplate(ctx, scope, name);
  const record = requireVersion(ctx, template, version);
  return {
    spec: specFromTemplate(record.data),
    launchTemplate: {
      launchTemplateId: template.launchTemplateId,
      launchTemplateName: template.launchTemplateName,
      version: String(record.versionNumber),
    },
  };
}

function launch(ctx: Ec2Context, scope: Scope, spec: LaunchSpec, options: LaunchOptions): InstanceRecord[] {
  const network = defaultNetwork(ctx, scope);
  const prefix = scopePrefix(scope);
  const placement = placeLaunch(
    spec,
    network,
    ctx.tables.subnets.withPrefix(prefix),
    ctx.tables.securityGroups.withPrefix(prefix),
    ctx.random,
  );
  const { subnet } = placement;
  const addressesInUse = new Set(
    instancesOf(ctx, scope)
      .filter((instance) => instance.subnetId === subnet.subnetId && instance.state !== 'terminated')
      .map((instance) => instance.privateIpAddress),
  );
  const free = usableAddressCount(parseCidr(subnet.cidrBlock)!) - addressesInUse.size;
  if (free < options.minCount) throw insufficientAddresses(subnet.subnetId);
  const records = planLaunch({
    scope,
    spec,
    count: Math.min(options.maxCount, free),
    placement,
    addressesInUse,
    random: ctx.random,
    nowMs: ctx.clock.now(),
    bootMs: ctx.timings.bootMs,
    launchTemplate: options.launchTemplate,
    clientToken: options.clientToken,
    serviceTags: options.serviceTags,
  });
  ctx.store.transaction(() => {
    for (const record of records) saveInstance(ctx, undefined, record);
  });
  return records;
}

export function launchInstances(ctx: Ec2Context, scope: Scope, input: RunInstancesRequest): InstanceRecord[] {
  if (input.ClientToken !== undefined && input.ClientToken !== '') {
    const earlier = instancesOf(ctx, scope)
      .filter((instance) => instance.clientToken === input.ClientToken)
      .sort((a, b) => a.amiLaunchIndex - b.amiLaunchIndex);
    if (earlier.length > 0) return earlier;
  }
  requireCounts(input.MinCount, input.MaxCount);
  let base: LaunchSpec = { tags: [] };
  let launchTemplate: LaunchOptions['launchTemplate'];
  if (input.LaunchTemplate) {
    const resolved = templateSpec(
      ctx,
      scope,
      {
        launchTemplateId: input.LaunchTemplate.LaunchTemplateId,
        launchTemplateName: input.LaunchTemplate.LaunchTemplateName,
      },
      input.LaunchTemplate.Version,
    );
    base = resolved.spec;
    launchTemplate = resolved.launchTemplate;
  }
  return launch(ctx, scope, overlaySpec(base, specFromRunInstances(input)), {
    minCount: input.MinCount!,
    maxCount: input.MaxCount!,
    launchTemplate,
    clientToken: input.ClientToken || undefined,
  });
}

/** One instance for Auto Scaling, in the group's subnet, with the group's (`aws:`) tags. */
export function launchForAutoScaling(ctx: Ec2Context, scope: Scope, request: LaunchRequest): InstanceRecord {
  let base: LaunchSpec = { tags: [] };
  let launchTemplate: LaunchOptions['launchTemplate'];
  if (request.launchTemplate) {
    const resolved = templateSpec(
      ctx,
      scope,
      { launchTemplateId: request.launchTemplate.launchTemplateId },
      request.launchTemplate.version,
    );
    base = resolved.spec;
    launchTemplate = resolved.launchTemplate;
  } else if (request.launchConfiguration) {
    const configuration = request.launchConfiguration;
    base = {
      imageId: configuration.imageId,
      instanceType: configuration.instanceType,
      userData: configuration.userDataBase64,
      keyName: configuration.keyName,
      securityGroupNames: configuration.securityGroups?.length ? configuration.securityGroups : undefined,
      tags: [],
    };
  }
  const spec = overlaySpec(base, {
    tags: [],
    instanceType: request.launchTemplate?.instanceTypeOverride,
    subnetId: request.subnetId,
  });
  const [record] = launch(ctx, scope, spec, {
    minCount: 1,
    maxCount: 1,
    launchTemplate,
    serviceTags: request.tags.map((tag) => ({ Key: tag.key, Value: tag.value })),
  });
  return record!;
}
