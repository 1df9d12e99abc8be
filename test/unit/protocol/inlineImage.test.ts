// The span detail shows an image part as a picture, and a replay sends it, only when it came inline,
// whole, and in a raster format: nothing remote is ever loaded, and cut or damaged data stays a chip.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MessagePart } from '../../../src/protocol/model';
import { mediaPart, MAX_INLINE_IMAGE_CHARS } from '../../../src/semconv/messageParts';
import { wholeInlineImage } from '../../../src/protocol/inlineImage';

const dataUriOf = (part: MessagePart) => wholeInlineImage(part)?.dataUri;

/** A 1×1 transparent PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

test('inline raster images are shown from a data: URI', () => {
  assert.equal(dataUriOf({ type: 'image', mimeType: 'image/png', data: PNG }), `data:image/png;base64,${PNG}`);
  assert.equal(dataUriOf({ type: 'image', data: `data:image/png;base64,${PNG}` }), `data:image/png;base64,${PNG}`);
  // The data URI's own type wins over a mislabelled part; parameters before ;base64 are allowed.
  assert.equal(dataUriOf({ type: 'image', mimeType: 'image/jpeg', data: `data:image/PNG;name=a.png;base64,${PNG}` }), `data:image/png;base64,${PNG}`);
  // Line-wrapped (Python's base64.encodebytes) and unpadded base64 decode in the browser too.
  assert.equal(dataUriOf({ type: 'image', mimeType: 'image/png', data: `${PNG.slice(0, 40)}\n${PNG.slice(40)}` }), `data:image/png;base64,${PNG}`);
  assert.equal(dataUriOf({ type: 'image', mimeType: 'image/webp', data: PNG.replace(/=+$/, '') }), `data:image/webp;base64,${PNG.replace(/=+$/, '')}`);
  // A part recorded without its type is typed by its first bytes.
  assert.deepEqual(wholeInlineImage({ type: 'image', data: PNG }), { mimeType: 'image/png', dataUri: `data:image/png;base64,${PNG}` });
  // What the normalizers make of a captured image (the part the detail gets).
  assert.ok(dataUriOf(mediaPart('image', { data: `data:image/jpeg;base64,${PNG}` })));
});

test('remote, cut, damaged, vector and non-image parts are not shown as pictures', () => {
  const cases: [string, MessagePart][] = [
    ['a URL (never fetched)', { type: 'image', mimeType: 'image/png', uri: 'https://example.com/cat.png' }],
    ['an http data field', { type: 'image', mimeType: 'image/png', data: 'https://example.com/cat.png' }],
    ['no type, and bytes of no raster format', { type: 'image', data: 'PHN2Zz48L3N2Zz4=' }],
    ['SVG', { type: 'image', mimeType: 'image/svg+xml', data: 'PHN2Zz48L3N2Zz4=' }],
    ['SVG data URI', { type: 'image', data: 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=' }],
    ['percent-encoded data URI', { type: 'image', data: 'data:image/png,%89PNG' }],
    ['HTML as an image', { type: 'image', data: 'data:text/html;base64,PHNjcmlwdD4=' }],
    ['URL-safe alphabet', { type: 'image', mimeType: 'image/png', data: PNG.replace(/\+|\//g, '_') + '-' }],
    ['impossible length', { type: 'image', mimeType: 'image/png', data: `${PNG.replace(/=+$/, '')}A`.slice(0, 4 * 20 + 1) }],
    ['a file part', { type: 'file', mimeType: 'image/png', data: PNG }],
    ['audio', { type: 'audio', mimeType: 'audio/wav', data: PNG }],
    ['a text part', { type: 'text', text: PNG }],
  ];
  for (const [what, part] of cases) assert.equal(dataUriOf(part), undefined, what);
  // Data the normalizer cut (MAX_INLINE_IMAGE_CHARS) ends in its marker: not base64, no broken picture.
  const cut = mediaPart('image', { mimeType: 'image/png', data: 'A'.repeat(MAX_INLINE_IMAGE_CHARS + 8) });
  assert.equal(dataUriOf(cut), undefined);
});

test("an image whose bytes stop before its format's end (cut on the way) is no picture: Chromium would draw half of it", () => {
  const image = (bytes: Buffer, mimeType = 'image/png') => dataUriOf({ type: 'image', mimeType, data: bytes.toString('base64') });
  const png = Buffer.from(PNG, 'base64');
  assert.ok(image(png));
  assert.equal(image(png.subarray(0, 48)), undefined, 'PNG without its IEND');
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x02, 0x03, 0xff, 0xd9]);
  assert.ok(image(jpeg, 'image/jpeg'));
  assert.ok(image(Buffer.concat([jpeg, Buffer.alloc(3)]), 'image/jpeg'), 'padding after the end of image');
  assert.equal(image(jpeg.subarray(0, 12), 'image/jpeg'), undefined);
  const gif = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
  assert.ok(image(gif, 'image/gif'));
  assert.equal(image(gif.subarray(0, gif.length - 1), 'image/gif'), undefined);
  const riff = (declared: number, body: number) => {
    const header = Buffer.from('RIFF____WEBP', 'latin1');
    header.writeUInt32LE(declared, 4);
    return Buffer.concat([header, Buffer.alloc(body)]);
  };
  assert.ok(image(riff(4 + 20, 20), 'image/webp'));
  assert.equal(image(riff(4 + 2000, 20), 'image/webp'), undefined, 'WebP shorter than it says');
});
