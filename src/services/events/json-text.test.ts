/**
 * JSON as EventBridge reads it: numbers keep their spelling, the last duplicate key wins, and
 * syntax errors read like Jackson's.
 */
import { describe, expect, it } from 'vitest';
import { fromPlain, JsonNumber, JsonSyntaxError, parseJson, toJsonText, toPlain } from './json-text.js';

describe('json text', () => {
  it('keeps numbers as written and writes compact JSON', () => {
    const text = '{ "a": 300.0, "b": [3.0e2, -0, 1E+2], "c": {"d": null, "e": true, "f": "x\\"y\\u00e9"} }';
    const value = parseJson(text);
    expect(toJsonText(value)).toBe('{"a":300.0,"b":[3.0e2,-0,1E+2],"c":{"d":null,"e":true,"f":"x\\"yé"}}');
    expect(toPlain(value)).toEqual({ a: 300, b: [300, -0, 100], c: { d: null, e: true, f: 'x"yé' } });
  });

  it('the last duplicate key wins', () => {
    expect(toJsonText(parseJson('{"a": 1, "b": 2, "a": 3}'))).toBe('{"b":2,"a":3}');
  });

  it.each([
    [
      '{"a": }',
      "Unexpected character ('}' (code 125)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
    ],
    ['{"a" 1}', "Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value"],
    ['{"a": 1 "b": 2}', "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries"],
    ['[1 2]', "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries"],
    ['[1,', 'Unexpected end-of-input'],
    ['{} x', "Unexpected character ('x' (code 120)): expected end of input"],
    ['01', "Unexpected character ('1' (code 49)): expected end of input"],
    ['"\\q"', "Unexpected character ('\"' (code 34)): invalid escape in string"],
  ])('refuses %s', (text, message) => {
    let thrown: unknown;
    try {
      parseJson(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(JsonSyntaxError);
    expect((thrown as JsonSyntaxError).message).toBe(message);
  });

  it('refuses nesting deeper than 512 levels instead of overflowing the stack', () => {
    expect(() => parseJson('['.repeat(10_000))).toThrow(/Nesting deeper than 512 levels/);
  });

  it('converts what other services publish', () => {
    const value = fromPlain({ n: 1.5, big: 10n, when: new Date(0), gone: undefined, list: [1, undefined], nan: NaN });
    expect(toJsonText(value)).toBe('{"n":1.5,"big":10,"when":"1970-01-01T00:00:00.000Z","list":[1,null],"nan":null}');
    expect(fromPlain(new JsonNumber('1.50'))).toEqual(new JsonNumber('1.50'));
  });
});
