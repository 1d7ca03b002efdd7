/**
 * Launch template version specifiers, version inheritance and name rules.
 */
import { describe, expect, it } from 'vitest';
import {
  isValidLaunchTemplateName,
  resolveVersionNumber,
  versionData,
  type LaunchTemplateRecord,
} from './launch-template.js';

const template = { defaultVersionNumber: 2, latestVersionNumber: 4 } as LaunchTemplateRecord;

describe('resolveVersionNumber', () => {
  it('reads $Default (also when absent), $Latest and numbers', () => {
    expect(resolveVersionNumber(template, undefined)).toBe(2);
    expect(resolveVersionNumber(template, '$Default')).toBe(2);
    expect(resolveVersionNumber(template, '$Latest')).toBe(4);
    expect(resolveVersionNumber(template, '3')).toBe(3);
  });

  it('names nothing for versions that do not exist or are not versions', () => {
    expect(resolveVersionNumber(template, '5')).toBeUndefined();
    expect(resolveVersionNumber(template, '0')).toBeUndefined();
    expect(resolveVersionNumber(template, 'latest')).toBeUndefined();
  });
});

describe('versionData', () => {
  it('lays the new parameters over the source version', () => {
    expect(
      versionData(
        { ImageId: 'ami-11111111', InstanceType: 't3.micro', UserData: 'YQ==' },
        { InstanceType: 'm5.large' },
      ),
    ).toEqual({ ImageId: 'ami-11111111', InstanceType: 'm5.large', UserData: 'YQ==' });
    expect(versionData(undefined, { ImageId: 'ami-22222222' })).toEqual({ ImageId: 'ami-22222222' });
  });
});

describe('isValidLaunchTemplateName', () => {
  it('allows 3–128 letters, digits and ( ) . - / _', () => {
    expect(isValidLaunchTemplateName('web-(v1)/prod_2.x')).toBe(true);
    expect(isValidLaunchTemplateName('ab')).toBe(false);
    expect(isValidLaunchTemplateName('has space')).toBe(false);
    expect(isValidLaunchTemplateName('x'.repeat(129))).toBe(false);
  });
});
