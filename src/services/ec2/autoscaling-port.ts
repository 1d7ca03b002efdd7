/**
 * Auto Scaling's view of EC2 (the Ec2Port of services/autoscaling/ports.ts): launch templates
 * resolved to the version a launch would use now, zones and subnets, the instance-type catalogue,
 * and launch / terminate / look up. Terminations through this port ignore termination protection,
 * as Auto Scaling's do (EC2 User Guide, "Enable termination protection": it does not stop Auto
 * Scaling from terminating an instance).
 */
import type { Ec2InstanceView, Ec2Port, SubnetView } from '../autoscaling/ports.js';
import { zonesOf } from './availability-zone.js';
import { defaultNetwork, saveInstance, type Ec2Context } from './context.js';
import { beginTermination, userShutdown, type InstanceRecord } from './instance.js';
import { instanceTypeSpec } from './instance-types.js';
import { launchForAutoScaling } from './launcher.js';
import { findTemplate, findVersion } from './lookup.js';
import { resourceKey } from './store.js';
import type { SubnetRecord } from './subnet.js';

function subnetView(subnet: SubnetRecord): SubnetView {
  return { subnetId: subnet.subnetId, availabilityZone: subnet.availabilityZone, vpcId: subnet.vpcId };
}

export function instanceView(record: InstanceRecord): Ec2InstanceView {
  const view: Ec2InstanceView = {
    instanceId: record.instanceId,
    state: record.state,
    instanceType: record.instanceType,
    availabilityZone: record.availabilityZone,
    subnetId: record.subnetId,
    launchTimeMs: record.launchTimeMs,
  };
  if (record.launchTemplate) view.launchTemplate = { ...record.launchTemplate };
  return view;
}

export function autoScalingPort(ctx: Ec2Context): Ec2Port {
  return {
    resolveLaunchTemplate(scope, ref) {
      const template = findTemplate(ctx, scope, {
        launchTemplateId: ref.launchTemplateId,
        launchTemplateName: ref.launchTemplateId === undefined ? ref.launchTemplateName : undefined,
      });
      if (!template) return { missing: 'template' };
      const version = findVersion(ctx, template, ref.version);
      if (!version) return { missing: 'version' };
      return {
        launchTemplateId: template.launchTemplateId,
        launchTemplateName: template.launchTemplateName,
        version: String(version.versionNumber),
        instanceType: version.data.InstanceType,
        imageId: version.data.ImageId,
      };
    },

    availabilityZones(scope) {
      return zonesOf(scope.region).map((zone) => zone.zoneName);
    },

    describeSubnets(scope, subnetIds) {
      defaultNetwork(ctx, scope);
      return subnetIds
        .map((id) => ctx.tables.subnets.get(resourceKey(scope, id)))
        .filter((subnet): subnet is SubnetRecord => subnet !== undefined)
        .map(subnetView);
    },

    defaultSubnet(scope, availabilityZone) {
      const subnet = defaultNetwork(ctx, scope).subnets.find((s) => s.availabilityZone === availabilityZone);
      return subnet ? subnetView(subnet) : undefined;
    },

    instanceTypeExists(instanceType) {
      return instanceTypeSpec(instanceType) !== undefined;
    },

    launch(scope, request) {
      return instanceView(launchForAutoScaling(ctx, scope, request));
    },

    terminate(scope, instanceId, reason) {
      const record = ctx.tables.instances.get(resourceKey(scope, instanceId));
      if (!record) return;
      const next = beginTermination(record, ctx.clock.now(), ctx.timings.shutdownMs, userShutdown(reason));
      if (next) saveInstance(ctx, record, next);
    },

    instance(scope, instanceId) {
      const record = ctx.tables.instances.get(resourceKey(scope, instanceId));
      return record ? instanceView(record) : undefined;
    },
  };
}
