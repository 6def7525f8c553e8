/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { inputErrorOf } from '../shared/testing.ts';
import type { RawInput } from '../types.ts';
import { image } from './edge.ts';
import bombPng from './fixtures/bomb-100000x100000.png?inline';
import gif from './fixtures/green-8x8.gif?inline';
import webp from './fixtures/green-8x8.webp?inline';
import rampJpeg from './fixtures/ramp-64x48.jpg?inline';
import redPng from './fixtures/red-64x48.png?inline';

/** The fixtures arrive as data URLs (Vite's `?inline`), as a client's images would. */
function bytesOf(dataUrl: string): Uint8Array {
  return Uint8Array.from(atob(dataUrl.slice(dataUrl.indexOf(',') + 1)), (char) => char.charCodeAt(0));
}

const png = bytesOf(redPng);
const jpeg = bytesOf(rampJpeg);
/** Headers of formats the adapter does not take (enough for the sniffer to name them). */
const bmp = Uint8Array.from([0x42, 0x4d, ...new Array<number>(60).fill(0)]);
const tiff = Uint8Array.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0, 0, 0, ...new Array<number>(60).fill(0)]);

function bytes(value: Uint8Array, declaredType?: string): RawInput {
  return { kind: 'bytes', bytes: value, declaredType };
}

async function codeOf(input: RawInput): Promise<string> {
  return (await inputErrorOf(() => image.normalize(input))).code;
}

/** A copy of the JPEG fixture whose SOF0 header declares another size. */
function jpegDeclaring(width: number, height: number): Uint8Array {
  const copy = jpeg.slice();
  const sof = copy.findIndex((byte, i) => byte === 0xff && copy[i + 1] === 0xc0);
  new DataView(copy.buffer).setUint16(sof + 5, height);
  new DataView(copy.buffer).setUint16(sof + 7, width);
  return copy;
}

describe('image edge adapter', () => {
  it('accepts a PNG, keeping its bytes and reading its size', async () => {
    const result = await image.normalize(bytes(png, 'image/png'));
    expect(result).toEqual({
      modality: 'image',
      bytes: png,
      mimeType: 'image/png',
      meta: { width: 64, height: 48, format: 'png' },
    });
  });

  it.each([undefined, 'image/jpeg', 'IMAGE/JPG; q=0.9', 'application/octet-stream', ''])(
    'accepts a JPEG declared as %s',
    async (declared) => {
      const result = await image.normalize(bytes(jpeg, declared));
      expect(result.mimeType).toBe('image/jpeg');
      expect(result.meta).toEqual({ width: 64, height: 48, format: 'jpeg' });
    },
  );

  it.each([
    ['zeros', [0, 0, 0, 0]],
    ['a second JPEG (MPF)', Array.from(jpeg.subarray(0, 200))],
    ['a trailer with marker-like bytes', [0xff, 0xd9, 0xff, 0x00, 0x53, 0x45, 0x46, 0x54, 0xff]],
  ])('accepts a JPEG followed after its EOI by %s', async (_, trailer) => {
    const followed = Uint8Array.of(...jpeg, ...trailer);
    expect((await image.normalize(bytes(followed))).meta).toEqual({ width: 64, height: 48, format: 'jpeg' });
  });

  it('reads the size of a JPEG whose frame header is one image-size does not know (SOF9, arithmetic)', async () => {
    const arithmetic = jpeg.slice();
    const sof = arithmetic.findIndex((byte, i) => byte === 0xff && arithmetic[i + 1] === 0xc0);
    arithmetic[sof + 1] = 0xc9;
    expect((await image.normalize(bytes(arithmetic))).meta).toEqual({
      width: 64,
      height: 48,
      format: 'jpeg',
    });
  });

  it('says a JPEG cut before its EOI is truncated', async () => {
    const error = await inputErrorOf(() => image.normalize(bytes(jpeg.subarray(0, jpeg.length - 2))));
    expect(error.message).toBe('JPEG is truncated: it ends before its EOI marker');
  });

  it.each([
    ['a PNG labelled image/jpeg', png, 'image/jpeg'],
    ['a JPEG labelled image/png', jpeg, 'image/png'],
    ['a PNG labelled audio/wav', png, 'audio/wav'],
  ])('refuses %s as a type mismatch', async (_, value, declared) => {
    const error = await inputErrorOf(() => image.normalize(bytes(value, declared)));
    expect(error.code).toBe('type-mismatch');
    expect(error.status).toBe(415);
  });

  it.each([
    ['a BMP', bmp, 'image/bmp'],
    ['a TIFF (even labelled PNG)', tiff, 'image/png'],
    ['a PDF', new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), undefined],
    ['unknown bytes', Uint8Array.from({ length: 256 }, (_, i) => (i * 37) % 251), 'image/png'],
  ])('refuses %s as unsupported', async (_, value, declared) => {
    const error = await inputErrorOf(() => image.normalize(bytes(value, declared)));
    expect(error.code).toBe('unsupported-type');
    expect(error.message).toContain('supported: image/png, image/jpeg, image/webp, image/gif');
  });

  it('names the type it found', async () => {
    const error = await inputErrorOf(() => image.normalize(bytes(bmp)));
    expect(error.details).toEqual({ found: 'image/bmp' });
  });

  it.each([
    ['WebP', bytesOf(webp), 'image/webp', 'webp'],
    ['GIF', bytesOf(gif), 'image/gif', 'gif'],
  ])('accepts a %s, reading its size from the header', async (_, value, type, format) => {
    const result = await image.normalize(bytes(value, type));
    expect(result).toMatchObject({ mimeType: type, meta: { width: 8, height: 8, format } });
    expect(result.bytes).toEqual(value);
    expect(await codeOf(bytes(value, 'image/png'))).toBe('type-mismatch');
  });

  it('refuses a WebP cut short and a GIF header declaring 60000×60000; a GIF without its trailer passes', async () => {
    expect(await codeOf(bytes(bytesOf(webp).subarray(0, 30)))).toBe('malformed');
    // Browsers and libvips show a GIF whose trailer byte is missing; one cut inside a frame is the decoder's to refuse.
    const noTrailer = bytesOf(gif).subarray(0, bytesOf(gif).length - 1);
    expect((await image.normalize(bytes(noTrailer))).meta).toEqual({ width: 8, height: 8, format: 'gif' });
    const huge = bytesOf(gif).slice();
    new DataView(huge.buffer).setUint16(6, 60_000, true);
    new DataView(huge.buffer).setUint16(8, 60_000, true);
    expect(await codeOf(bytes(huge))).toBe('over-limit');
  });

  it('refuses a PNG header declaring 100000×100000 without decoding it', async () => {
    const error = await inputErrorOf(() => image.normalize(bytes(bytesOf(bombPng))));
    expect(error.code).toBe('over-limit');
    expect(error.details).toMatchObject({ width: 100_000, height: 100_000 });
  });

  it('refuses a JPEG over the side limit though under the pixel limit', async () => {
    const error = await inputErrorOf(() => image.normalize(bytes(jpegDeclaring(20_000, 100))));
    expect(error.code).toBe('over-limit');
    expect(error.details).toMatchObject({ width: 20_000, height: 100 });
    expect((await image.normalize(bytes(jpegDeclaring(16_384, 100)))).meta).toMatchObject({ width: 16_384 });
  });

  it.each([
    ['after the signature', 8],
    ['inside IHDR', 20],
    ['after IHDR', 33],
    ['inside IDAT', png.length - 30],
    ['before IEND', png.length - 12],
    ['inside IEND', png.length - 2],
  ])('refuses a PNG cut %s', async (_, length) => {
    expect(await codeOf(bytes(png.slice(0, length)))).toBe('malformed');
  });

  it('refuses a PNG whose chunk length runs past the end', async () => {
    const broken = png.slice();
    new DataView(broken.buffer).setUint32(33, 0xffff_fff0);
    expect(await codeOf(bytes(broken))).toBe('malformed');
  });

  it.each([
    ['after SOI', 4],
    ['inside the headers', 100],
    ['inside the scan', jpeg.length - 40],
    ['before EOI', jpeg.length - 2],
  ])('refuses a JPEG cut %s', async (_, length) => {
    expect(await codeOf(bytes(jpeg.slice(0, length)))).toBe('malformed');
  });

  it('refuses a JPEG that ends before its scan', async () => {
    expect(await codeOf(bytes(Uint8Array.of(0xff, 0xd8, 0xff, 0xd9, 0, 0, 0, 0)))).toBe('malformed');
  });

  it('refuses empty and oversized inputs before looking at them', async () => {
    expect(await codeOf(bytes(new Uint8Array(0)))).toBe('empty');
    const oversized = new Uint8Array(image.limits.maxBytes + 1);
    oversized.set(png);
    expect(await codeOf(bytes(oversized))).toBe('too-large');
  });

  it('refuses a JSON string', async () => {
    expect(await codeOf({ kind: 'text', value: 'data:image/png;base64,iVBORw0KGgo=' })).toBe(
      'unsupported-type',
    );
  });
});
