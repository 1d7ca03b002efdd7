/**
 * EC2 filter semantics: AND across filters, OR across values, wildcards, tag filters, and the
 * refusal of an unknown filter name.
 */
import { describe, expect, it } from 'vitest';
import { applyFilters, valueMatcher, type FilterFields } from './filters.js';

interface Item {
  id: string;
  zone: string;
  on: boolean;
  tags: Array<{ Key: string; Value: string }>;
}

const items: Item[] = [
  { id: 'a', zone: 'us-east-1a', on: true, tags: [{ Key: 'aws:autoscaling:groupName', Value: 'web' }] },
  { id: 'b', zone: 'us-east-1b', on: false, tags: [{ Key: 'Name', Value: 'db*1' }] },
  { id: 'c', zone: 'us-east-1a', on: false, tags: [] },
];

const fields: FilterFields<Item> = { id: (i) => [i.id], zone: (i) => [i.zone], on: (i) => [i.on] };
const ids = (found: Item[]) => found.map((item) => item.id);

describe('valueMatcher', () => {
  it('matches exactly without wildcards, by pattern with them', () => {
    expect(valueMatcher('web')('web')).toBe(true);
    expect(valueMatcher('web')('webs')).toBe(false);
    expect(valueMatcher('us-east-1?')('us-east-1c')).toBe(true);
    expect(valueMatcher('*-1*')('us-east-1a')).toBe(true);
    expect(valueMatcher('db\\*1')('db*1')).toBe(true);
    expect(valueMatcher('db\\*1')('dbx1')).toBe(false);
    expect(valueMatcher('a.c')('abc')).toBe(false);
  });
});

describe('applyFilters', () => {
  it('ANDs filters and ORs values', () => {
    expect(ids(applyFilters(items, [{ Name: 'zone', Values: ['us-east-1a', 'us-east-1b'] }], fields))).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(
      ids(
        applyFilters(
          items,
          [
            { Name: 'zone', Values: ['us-east-1a'] },
            { Name: 'on', Values: ['false'] },
          ],
          fields,
        ),
      ),
    ).toEqual(['c']);
  });

  it('filters by tag:<key>, tag-key and tag-value', () => {
    const tagsOf = (item: Item) => item.tags;
    expect(
      ids(applyFilters(items, [{ Name: 'tag:aws:autoscaling:groupName', Values: ['web'] }], fields, tagsOf)),
    ).toEqual(['a']);
    expect(ids(applyFilters(items, [{ Name: 'tag-key', Values: ['Name'] }], fields, tagsOf))).toEqual(['b']);
    expect(ids(applyFilters(items, [{ Name: 'tag-value', Values: ['db\\*1'] }], fields, tagsOf))).toEqual(['b']);
  });

  it('refuses a filter it does not know, as EC2 does', () => {
    expect(() => applyFilters(items, [{ Name: 'colour', Values: ['red'] }], fields)).toThrow(
      expect.objectContaining({ code: 'InvalidParameterValue', message: "The filter 'colour' is invalid" }),
    );
    expect(() => applyFilters(items, [{ Name: 'tag:x', Values: ['y'] }], fields)).toThrow(
      /The filter 'tag:x' is invalid/,
    );
  });
});
