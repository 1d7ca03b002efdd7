/**
 * Finding what a request names, with EC2's errors when it is malformed or absent: instances by id
 * (`InvalidInstanceID.Malformed` for the first bad id, `InvalidInstanceID.NotFound` listing every
 * missing one), launch templates by id or name and their versions by specifier.
 */
import {
  instanceIdMalformed,
  instanceNotFound,
  launchTemplateIdNotFound,
  launchTemplateNameNotFound,
  launchTemplateVersionNotFound,
  missingParameter,
} from './errors.js';
import type { Ec2Context } from './context.js';
import type { InstanceRecord } from './instance.js';
import {
  resolveVersionNumber,
  type LaunchTemplateRecord,
  type LaunchTemplateVersionRecord,
} from './launch-template.js';
import { resourceKey, scopePrefix, versionKey, type Scope } from './store.js';

const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** The instances, in the order asked (duplicates once), or EC2's error for the request. */
export function requireInstances(ctx: Ec2Context, scope: Scope, ids: readonly string[]): InstanceRecord[] {
  const unique = [...new Set(ids)];
  const malformed = unique.find((id) => !INSTANCE_ID.test(id));
  if (malformed !== undefined) throw instanceIdMalformed(malformed);
  const found: InstanceRecord[] = [];
  const missing: string[] = [];
  for (const id of unique) {
    const record = ctx.tables.instances.get(resourceKey(scope, id));
    if (record) found.push(record);
    else missing.push(id);
  }
  if (missing.length > 0) throw instanceNotFound(missing);
  return found;
}

export interface TemplateName {
  launchTemplateId?: string;
  launchTemplateName?: string;
}

export function findTemplate(ctx: Ec2Context, scope: Scope, name: TemplateName): LaunchTemplateRecord | undefined {
  if (name.launchTemplateId !== undefined) {
    return ctx.tables.launchTemplates.get(resourceKey(scope, name.launchTemplateId));
  }
  return ctx.tables.launchTemplates
    .withPrefix(scopePrefix(scope))
    .find((template) => template.launchTemplateName === name.launchTemplateName);
}

/** The template named by id (preferred) or name; neither given is a MissingParameter. */
export function requireTemplate(ctx: Ec2Context, scope: Scope, name: TemplateName): LaunchTemplateRecord {
  if (name.launchTemplateId === undefined && name.launchTemplateName === undefined) {
    throw missingParameter('The request must contain the parameter launch template ID or launch template name');
  }
  const template = findTemplate(ctx, scope, name);
  if (template) return template;
  throw name.launchTemplateId !== undefined
    ? launchTemplateIdNotFound(name.launchTemplateId)
    : launchTemplateNameNotFound(name.launchTemplateName!);
}

export function findVersion(
  ctx: Ec2Context,
  template: LaunchTemplateRecord,
  specifier: string | undefined,
): LaunchTemplateVersionRecord | undefined {
  const number = resolveVersionNumber(template, specifier);
  return number === undefined
    ? undefined
    : ctx.tables.launchTemplateVersions.get(versionKey(template, template.launchTemplateId, number));
}

export function requireVersion(
  ctx: Ec2Context,
  template: LaunchTemplateRecord,
  specifier: string | undefined,
): LaunchTemplateVersionRecord {
  const version = findVersion(ctx, template, specifier);
  if (!version) throw launchTemplateVersionNotFound(specifier ?? '$Default', template.launchTemplateId);
  return version;
}

export function versionsOf(ctx: Ec2Context, template: LaunchTemplateRecord): LaunchTemplateVersionRecord[] {
  return ctx.tables.launchTemplateVersions.withPrefix(`${resourceKey(template, template.launchTemplateId)}/`);
}
