/**
 * EC2 wire adapter for launch templates: Create/Describe/Modify/DeleteLaunchTemplate(s),
 * CreateLaunchTemplateVersion and DescribeLaunchTemplateVersions, with EC2's errors for each
 * (wording as AWS returns it to boto3: "Launch template name already in use.", "Could not find
 * the specified version 3 for the launch template with ID lt-….", …).
 */
import type {
  CreateLaunchTemplateRequest,
  CreateLaunchTemplateResult,
  CreateLaunchTemplateVersionRequest,
  CreateLaunchTemplateVersionResult,
  DeleteLaunchTemplateRequest,
  DeleteLaunchTemplateResult,
  DescribeLaunchTemplatesRequest,
  DescribeLaunchTemplatesResult,
  DescribeLaunchTemplateVersionsRequest,
  DescribeLaunchTemplateVersionsResult,
  ModifyLaunchTemplateRequest,
  ModifyLaunchTemplateResult,
} from '@aws-sdk/client-ec2';
import { ec2Id } from '../../kernel/ids.js';
import type { OperationHandler } from '../../kernel/operation.js';
import { scopeOf, type Ec2Context } from './context.js';
import {
  defaultVersionNotFound,
  invalidParameterCombination,
  invalidParameterValue,
  launchTemplateIdNotFound,
  launchTemplateNameInUse,
  launchTemplateNameMalformed,
  launchTemplateVersionNotFound,
  missingParameter,
  someLaunchTemplatesNotFound,
} from './errors.js';
import { applyFilters } from './filters.js';
import {
  creatorArn,
  isValidLaunchTemplateName,
  LAUNCH_TEMPLATE_FILTERS,
  LAUNCH_TEMPLATE_VERSION_FILTERS,
  resolveVersionNumber,
  toLaunchTemplate,
  toLaunchTemplateVersion,
  versionData,
  type LaunchTemplateData,
  type LaunchTemplateRecord,
  type LaunchTemplateVersionRecord,
  type VersionView,
} from './launch-template.js';
import { findTemplate, requireTemplate, requireVersion, versionsOf } from './lookup.js';
import { pageOf, sortedBy } from './paging.js';
import { resourceKey, scopePrefix, versionKey } from './store.js';
import { tagsFor } from './tags.js';

const TEMPLATE_BOUNDS = { min: 1, max: 200 };

/** AWS's own words when a DescribeLaunchTemplateVersions call names versions but no template, or the reverse. */
const ALL_TEMPLATES_USAGE =
  'To describe the launch template data for all your launch templates, for ‘--versions’ specify ‘$Latest’, ‘$Default’, or both, and omit ‘--launch-template-id’, ‘--launch-template-name’, and version numbers. To describe the launch template data for a specific launch template, specify ‘--launch-template-id’ or ‘--launch-template-name’, and for ‘--versions’ specify one or more of the following values: ‘$Latest’, ‘$Default’, or one or more version numbers.';

function requireData(data: LaunchTemplateData | undefined): LaunchTemplateData {
  if (!data || Object.values(data).every((value) => value === undefined)) {
    throw missingParameter('The request must contain the parameter LaunchTemplateData');
  }
  return data;
}

function versionNumber(text: string | undefined, template: LaunchTemplateRecord): number | undefined {
  if (text === undefined) return undefined;
  const number = resolveVersionNumber(template, text);
  if (number === undefined && !/^\d+$/.test(text)) throw invalidParameterValue(`Invalid version: ${text}`);
  return number ?? Number(text);
}

export function launchTemplateOperations(ctx: Ec2Context) {
  const { launchTemplates, launchTemplateVersions } = ctx.tables;

  const CreateLaunchTemplate: OperationHandler<CreateLaunchTemplateRequest, CreateLaunchTemplateResult> = (
    input,
    request,
  ) => {
    const scope = scopeOf(request);
    const name = input.LaunchTemplateName ?? '';
    if (!isValidLaunchTemplateName(name)) throw launchTemplateNameMalformed();
    const data = requireData(input.LaunchTemplateData);
    if (findTemplate(ctx, scope, { launchTemplateName: name })) throw launchTemplateNameInUse();
    const nowMs = ctx.clock.now();
    const template: LaunchTemplateRecord = {
      ...scope,
      launchTemplateId: ec2Id(ctx.random, 'lt'),
      launchTemplateName: name,
      createTimeMs: nowMs,
      createdBy: creatorArn(scope.accountId),
      defaultVersionNumber: 1,
      latestVersionNumber: 1,
      tags: tagsFor(input.TagSpecifications, 'launch-template'),
    };
    const version: LaunchTemplateVersionRecord = {
      ...scope,
      launchTemplateId: template.launchTemplateId,
      launchTemplateName: name,
      versionNumber: 1,
      versionDescription: input.VersionDescription,
      createTimeMs: nowMs,
      createdBy: template.createdBy,
      data,
    };
    ctx.store.transaction(() => {
      launchTemplates.put(resourceKey(scope, template.launchTemplateId), template);
      launchTemplateVersions.put(versionKey(scope, template.launchTemplateId, 1), version);
    });
    return { LaunchTemplate: toLaunchTemplate(template) };
  };

  const DescribeLaunchTemplates: OperationHandler<DescribeLaunchTemplatesRequest, DescribeLaunchTemplatesResult> = (
    input,
    request,
  ) => {
    const scope = scopeOf(request);
    const all = launchTemplates.withPrefix(scopePrefix(scope));
    for (const id of input.LaunchTemplateIds ?? []) {
      if (!all.some((template) => template.launchTemplateId === id)) throw launchTemplateIdNotFound(id);
    }
    for (const name of input.LaunchTemplateNames ?? []) {
      if (!all.some((template) => template.launchTemplateName === name)) throw someLaunchTemplatesNotFound();
    }
    const named = all.filter(
      (template) =>
        (!input.LaunchTemplateIds?.length || input.LaunchTemplateIds.includes(template.launchTemplateId)) &&
        (!input.LaunchTemplateNames?.length || input.LaunchTemplateNames.includes(template.launchTemplateName)),
    );
    const matching = applyFilters(named, input.Filters, LAUNCH_TEMPLATE_FILTERS, (template) => template.tags);
    const keyOf = (template: LaunchTemplateRecord) =>
      `${String(template.createTimeMs).padStart(15, '0')}/${template.launchTemplateId}`;
    const page = pageOf(sortedBy(matching, keyOf), keyOf, input.MaxResults, input.NextToken, TEMPLATE_BOUNDS);
    return { LaunchTemplates: page.items.map(toLaunchTemplate), NextToken: page.nextToken };
  };

  const CreateLaunchTemplateVersion: OperationHandler<
    CreateLaunchTemplateVersionRequest,
    CreateLaunchTemplateVersionResult
  > = (input, request) => {
    const scope = scopeOf(request);
    const template = requireTemplate(ctx, scope, {
      launchTemplateId: input.LaunchTemplateId,
      launchTemplateName: input.LaunchTemplateName,
    });
    const given = requireData(input.LaunchTemplateData);
    const source = input.SourceVersion === undefined ? undefined : requireVersion(ctx, template, input.SourceVersion);
    const number = template.latestVersionNumber + 1;
    const version: LaunchTemplateVersionRecord = {
      ...scope,
      launchTemplateId: template.launchTemplateId,
      launchTemplateName: template.launchTemplateName,
      versionNumber: number,
      versionDescription: input.VersionDescription,
      createTimeMs: ctx.clock.now(),
      createdBy: creatorArn(scope.accountId),
      data: versionData(source?.data, given),
    };
    const updated: LaunchTemplateRecord = { ...template, latestVersionNumber: number };
    ctx.store.transaction(() => {
      launchTemplateVersions.put(versionKey(scope, template.launchTemplateId, number), version);
      launchTemplates.put(resourceKey(scope, template.launchTemplateId), updated);
    });
    return { LaunchTemplateVersion: toLaunchTemplateVersion(version, updated) };
  };

  const DescribeLaunchTemplateVersions: OperationHandler<
    DescribeLaunchTemplateVersionsRequest,
    DescribeLaunchTemplateVersionsResult
  > = (input, request) => {
    const scope = scopeOf(request);
    const specifiers = input.Versions ?? [];
    let views: VersionView[];
    if (input.LaunchTemplateId === undefined && input.LaunchTemplateName === undefined) {
      // Without a template, only $Latest / $Default of every template can be asked for.
      if (specifiers.length === 0) throw missingParameter(ALL_TEMPLATES_USAGE);
      if (specifiers.some((specifier) => specifier !== '$Latest' && specifier !== '$Default')) {
        throw invalidParameterValue(ALL_TEMPLATES_USAGE);
      }
      views = launchTemplates.withPrefix(scopePrefix(scope)).flatMap((template) => {
        const numbers = new Set(specifiers.map((specifier) => resolveVersionNumber(template, specifier)!));
        return [...numbers].map((number) => ({
          template,
          version: launchTemplateVersions.get(versionKey(scope, template.launchTemplateId, number))!,
        }));
      });
    } else {
      const template = requireTemplate(ctx, scope, {
        launchTemplateId: input.LaunchTemplateId,
        launchTemplateName: input.LaunchTemplateName,
      });
      let versions = versionsOf(ctx, template);
      if (specifiers.length > 0) {
        const wanted = new Set<number>();
        for (const specifier of specifiers) {
          const number = resolveVersionNumber(template, specifier);
          if (number === undefined) throw launchTemplateVersionNotFound(specifier, template.launchTemplateId);
          wanted.add(number);
        }
        versions = versions.filter((version) => wanted.has(version.versionNumber));
      }
      const min = versionNumber(input.MinVersion, template);
      const max = versionNumber(input.MaxVersion, template);
      if (min !== undefined) versions = versions.filter((version) => version.versionNumber >= min);
      if (max !== undefined) versions = versions.filter((version) => version.versionNumber <= max);
      views = versions.map((version) => ({ template, version }));
    }
    const matching = applyFilters(views, input.Filters, LAUNCH_TEMPLATE_VERSION_FILTERS);
    const keyOf = ({ version }: VersionView) =>
      `${version.launchTemplateId}/${String(version.versionNumber).padStart(10, '0')}`;
    const page = pageOf(sortedBy(matching, keyOf), keyOf, input.MaxResults, input.NextToken, TEMPLATE_BOUNDS);
    return {
      LaunchTemplateVersions: page.items.map(({ version, template }) => toLaunchTemplateVersion(version, template)),
      NextToken: page.nextToken,
    };
  };

  const ModifyLaunchTemplate: OperationHandler<ModifyLaunchTemplateRequest, ModifyLaunchTemplateResult> = (
    input,
    request,
  ) => {
    if (input.LaunchTemplateId !== undefined && input.LaunchTemplateName !== undefined) {
      throw invalidParameterCombination(
        'Either provide launch template ID or launch template name to modify the template.',
      );
    }
    const scope = scopeOf(request);
    const template = requireTemplate(ctx, scope, {
      launchTemplateId: input.LaunchTemplateId,
      launchTemplateName: input.LaunchTemplateName,
    });
    if (input.DefaultVersion === undefined) return { LaunchTemplate: toLaunchTemplate(template) };
    const number = resolveVersionNumber(template, input.DefaultVersion);
    if (number === undefined) throw defaultVersionNotFound(input.DefaultVersion);
    const updated: LaunchTemplateRecord = { ...template, defaultVersionNumber: number };
    launchTemplates.put(resourceKey(scope, template.launchTemplateId), updated);
    return { LaunchTemplate: toLaunchTemplate(updated) };
  };

  const DeleteLaunchTemplate: OperationHandler<DeleteLaunchTemplateRequest, DeleteLaunchTemplateResult> = (
    input,
    request,
  ) => {
    const scope = scopeOf(request);
    const template = requireTemplate(ctx, scope, {
      launchTemplateId: input.LaunchTemplateId,
      launchTemplateName: input.LaunchTemplateName,
    });
    ctx.store.transaction(() => {
      for (const version of versionsOf(ctx, template)) {
        launchTemplateVersions.delete(versionKey(scope, template.launchTemplateId, version.versionNumber));
      }
      launchTemplates.delete(resourceKey(scope, template.launchTemplateId));
    });
    return { LaunchTemplate: { ...toLaunchTemplate(template), Tags: undefined } };
  };

  return {
    CreateLaunchTemplate,
    DescribeLaunchTemplates,
    CreateLaunchTemplateVersion,
    DescribeLaunchTemplateVersions,
    ModifyLaunchTemplate,
    DeleteLaunchTemplate,
  };
}
