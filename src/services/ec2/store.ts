/**
 * EC2's tables. Keys are `<accountId>/<region>/<resource id>` (launch template versions add
 * `/<version, zero-padded>` so a template's versions list in order), so one drydock serves many
 * accounts and Regions without their resources meeting.
 */
import type { Migration, Store, Table } from '../../store/store.js';
import type { InstanceRecord } from './instance.js';
import type { LaunchTemplateRecord, LaunchTemplateVersionRecord } from './launch-template.js';
import type { SecurityGroupRecord } from './security-group.js';
import type { SubnetRecord } from './subnet.js';
import type { VpcRecord } from './vpc.js';

export const ec2Migrations: Migration[] = [
  {
    service: 'ec2',
    version: 1,
    description: 'default VPCs, subnets, security groups, launch templates and their versions, instances',
    up: (db) => {
      db.createTable('vpcs');
      db.createTable('subnets');
      db.createTable('securityGroups');
      db.createTable('launchTemplates');
      db.createTable('launchTemplateVersions');
      db.createTable('instances');
    },
  },
];

export interface Ec2Tables {
  vpcs: Table<VpcRecord>;
  subnets: Table<SubnetRecord>;
  securityGroups: Table<SecurityGroupRecord>;
  launchTemplates: Table<LaunchTemplateRecord>;
  launchTemplateVersions: Table<LaunchTemplateVersionRecord>;
  instances: Table<InstanceRecord>;
}

export function ec2Tables(store: Store): Ec2Tables {
  return {
    vpcs: store.table<VpcRecord>('ec2', 'vpcs'),
    subnets: store.table<SubnetRecord>('ec2', 'subnets'),
    securityGroups: store.table<SecurityGroupRecord>('ec2', 'securityGroups'),
    launchTemplates: store.table<LaunchTemplateRecord>('ec2', 'launchTemplates'),
    launchTemplateVersions: store.table<LaunchTemplateVersionRecord>('ec2', 'launchTemplateVersions'),
    instances: store.table<InstanceRecord>('ec2', 'instances'),
  };
}

export interface Scope {
  accountId: string;
  region: string;
}

/** `<accountId>/<region>/`: every key of the scope starts with it. */
export function scopePrefix(scope: Scope): string {
  return `${scope.accountId}/${scope.region}/`;
}

export function resourceKey(scope: Scope, id: string): string {
  return `${scopePrefix(scope)}${id}`;
}

export function versionKey(scope: Scope, launchTemplateId: string, version: number): string {
  return `${resourceKey(scope, launchTemplateId)}/${String(version).padStart(10, '0')}`;
}
