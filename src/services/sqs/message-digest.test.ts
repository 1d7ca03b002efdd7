/**
 * SQS's MD5 digests against values AWS itself returned (as pinned by moto's SQS test suite):
 * MD5OfMessageBody of "derp", and MD5OfMessageAttributes of one Number attribute.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5Hex, md5OfAttributes } from './message-digest.js';

describe('SQS message digests', () => {
  it('digests the body as MD5 of its UTF-8 bytes', () => {
    expect(md5Hex('derp')).toBe('58fd9edd83341c29f1aebba81c31e257');
  });

  it('digests message attributes as AWS does', () => {
    expect(md5OfAttributes({ timestamp: { DataType: 'Number', StringValue: '1493147359900' } })).toBe(
      '235c5c510d26fb653d073faed50ae77c',
    );
    expect(md5OfAttributes({ timestamp: { DataType: 'Number', StringValue: '1493147359901' } })).toBe(
      '994258b45346a2cc3f9cbb611aa7af30',
    );
    expect(md5OfAttributes({ 'SOME_Valid.attribute-Name': { DataType: 'Number', StringValue: '1493147359900' } })).toBe(
      '36655e7e9d7c0e8479fa3f3f42247ae7',
    );
    expect(md5OfAttributes({})).toBeUndefined();
    expect(md5OfAttributes(undefined)).toBeUndefined();
  });

  it('orders attributes by name and encodes binary values with transport type 2', () => {
    const bytes = (parts: Array<Buffer | number[]>) => Buffer.concat(parts.map((p) => Buffer.from(p)));
    const field = (text: string | Buffer) => {
      const body = typeof text === 'string' ? Buffer.from(text) : text;
      const length = Buffer.alloc(4);
      length.writeUInt32BE(body.length);
      return Buffer.concat([length, body]);
    };
    const expected = createHash('md5')
      .update(
        bytes([
          field('a'),
          field('Binary'),
          [2],
          field(Buffer.from([1, 2, 3])),
          field('b'),
          field('String'),
          [1],
          field('x'),
        ]),
      )
      .digest('hex');
    expect(
      md5OfAttributes({
        b: { DataType: 'String', StringValue: 'x' },
        a: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]).toString('base64') },
      }),
    ).toBe(expected);
  });
});
