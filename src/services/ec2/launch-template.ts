/**
 * Launch templates and their numbered versions. A template keeps a default and a latest version
 * number; `$Latest`, `$Default` or a number name a version; a new version starts from a source
 * version's parameters when SourceVersion is given and overrides the ones it sets (EC2 User Guide,
 * "Modify a launch template (manage launch template versions)"). Data is kept as the caller gave
 * it (UserData stays the base64 text it was sent as).
 */
import type { LaunchTemplate, LaunchTemplateVersion, RequestLaunchTemplateData } from '@aws-sdk/client-ec2';
import type { FilterFields } from './filters.js';
import type { ResourceTag } from './tags.js';

export interface LaunchTemplateRecord {
  accountId: string;
  region: string;
  launchTemplateId: string;
  launchTemplateName: string;
  createTimeMs: number;
  createdBy: string;
  defaultVersionNumber: number;
  latestVersionNumber: number;
  tags: ResourceTag[];
}

/** Launch parameters as stored: RequestLaunchTemplateData's members, as JSON. */
export type LaunchTemplateData = RequestLaunchTemplateData;

export interface LaunchTemplateVersionRecord {
  accountId: string;
  region: string;
  launchTemplateId: string;
  launchTemplateName: string;
  versionNumber: number;
  versionDescription?: string;
  createTimeMs: number;
  createdBy: string;
  data: LaunchTemplateData;
}

const NAME_PATTERN = /^[a-zA-Z0-9().\-/_]{3,128}$/;

export function isValidLaunchTemplateName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

/**
 * The version number a version specifier names, or undefined when it names none: `$Latest`,
 * `$Default` (also when absent), or a decimal number (which may still be past the latest).
 */
export function resolveVersionNumber(
  template: LaunchTemplateRecord,
  specifier: string | undefined,
): number | undefined {
  if (specifier === undefined || specifier === '$Default') return template.defaultVersionNumber;
  if (specifier === '$Latest') return template.latestVersionNumber;
  if (!/^\d{1,10}$/.test(specifier)) return undefined;
  const version = Number(specifier);
  return version >= 1 && version <= template.latestVersionNumber ? version : undefined;
}

/** A new version's data: the source version's parameters with the new ones laid over them. */
export function versionData(source: LaunchTemplateData | undefined, given: LaunchTemplateData): LaunchTemplateData {
  if (!source) return given;
  const merged: Record<string, unknown> = { ...source };
  for (const [member, value] of Object.entries(given)) if (value !== undefined) merged[member] = value;
  return merged as LaunchTemplateData;
}

/** The IAM identity AWS records as a template's creator; drydock callers act as the account root. */
export function creatorArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

export function toLaunchTemplate(record: LaunchTemplateRecord): LaunchTemplate {
  return {
    LaunchTemplateId: record.launchTemplateId,
    LaunchTemplateName: record.launchTemplateName,
    CreateTime: new Date(record.createTimeMs),
    CreatedBy: record.createdBy,
    DefaultVersionNumber: record.defaultVersionNumber,
    LatestVersionNumber: record.latestVersionNumber,
    Tags: record.tags.length > 0 ? record.tags : undefined,
  };
}

export function toLaunchTemplateVersion(
  version: LaunchTemplateVersionRecord,
  template: LaunchTemplateRecord,
): LaunchTemplateVersion {
  return {
    LaunchTemplateId: version.launchTemplateId,
    LaunchTemplateName: version.launchTemplateName,
    VersionNumber: version.versionNumber,
    VersionDescription: version.versionDescription,
    CreateTime: new Date(version.createTimeMs),
    CreatedBy: version.createdBy,
    DefaultVersion: version.versionNumber === template.defaultVersionNumber,
    // Request and response data share their member names; the codec writes the response shape.
    LaunchTemplateData: version.data as LaunchTemplateVersion['LaunchTemplateData'],
  };
}

export const LAUNCH_TEMPLATE_FILTERS: FilterFields<LaunchTemplateRecord> = {
  'launch-template-name': (template) => [template.launchTemplateName],
  'launch-template-id': (template) => [template.launchTemplateId],
  'create-time': (template) => [new Date(template.createTimeMs).toISOString()],
};

export interface VersionView {
  version: LaunchTemplateVersionRecord;
  template: LaunchTemplateRecord;
}

export const LAUNCH_TEMPLATE_VERSION_FILTERS: FilterFields<VersionView> = {
  'is-default-version': ({ version, template }) => [version.versionNumber === template.defaultVersionNumber],
  'image-id': ({ version }) => [version.data.ImageId],
  'instance-type': ({ version }) => [version.data.InstanceType],
  'kernel-id': ({ version }) => [version.data.KernelId],
  'ram-disk-id': ({ version }) => [version.data.RamDiskId],
  'create-time': ({ version }) => [new Date(version.createTimeMs).toISOString()],
  'ebs-optimized': ({ version }) => [version.data.EbsOptimized],
  'iam-instance-profile': ({ version }) => [
    version.data.IamInstanceProfile?.Arn,
    version.data.IamInstanceProfile?.Name,
  ],
  'disable-api-termination': ({ version }) => [version.data.DisableApiTermination],
};
