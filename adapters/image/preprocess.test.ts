import { crc32 } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { float32Of, inputErrorOf, tensorOf } from '../shared/testing.ts';
import type { PreprocessContext } from '../types.ts';
import preprocessor from './preprocess.ts';

const mean = [0.485, 0.456, 0.406];
const std = [0.229, 0.224, 0.225];

function contextWith(overrides: Record<string, string> = {}): PreprocessContext {
  return {
    model: 'mobilenetv2-int8',
    parameters: {
      modality: 'image',
      adapter: 'image',
      image_size: '224',
      resize_shorter: '256',
      mean: mean.join(','),
      std: std.join(','),
      layout: 'NCHW',
      ...overrides,
    },
    run: () => Promise.reject(new Error('the image adapter runs no other model')),
  };
}

const context = contextWith();
const plane = 224 * 224;

/** What an 8-bit channel value becomes after /255 and the channel's mean and std. */
function normalised(value: number, channel: number): number {
  return (value / 255 - (mean[channel] ?? 0)) / (std[channel] ?? 1);
}

function solid(width: number, height: number, background: string): Sharp {
  return sharp({ create: { width, height, channels: 3, background } });
}

/** The `input` tensor's data, after checking that it is f32 [1,3,224,224]. */
async function pixelsOf(image: Uint8Array, preprocessContext = context): Promise<Float32Array> {
  const feeds = await preprocessor.preprocess(image, preprocessContext);
  expect(Object.keys(feeds)).toEqual(['input']);
  expect(tensorOf(feeds, 'input').dims).toEqual([1, 3, 224, 224]);
  const data = float32Of(feeds, 'input');
  expect(data).toHaveLength(3 * plane);
  return data;
}

/** The value of `channel` at pixel (x, y) of NCHW data. */
function at(data: Float32Array, channel: number, x: number, y: number): number | undefined {
  return data[channel * plane + y * 224 + x];
}

describe('image preprocess', () => {
  it('feeds input f32 [1,3,224,224] normalised per channel (pure red)', async () => {
    const data = await pixelsOf(await solid(300, 200, '#ff0000').png().toBuffer());
    expect(data[0]).toBeCloseTo((1 - 0.485) / 0.229, 5);
    expect(data[plane + 123]).toBeCloseTo((0 - 0.456) / 0.224, 5);
    expect(data[3 * plane - 1]).toBeCloseTo((0 - 0.406) / 0.225, 5);
    expect(preprocessor.modality).toBe('image');
  });

  it('applies the EXIF orientation before cropping', async () => {
    // Stored landscape: red left half, blue right half. Orientation 6 = display rotated 90° clockwise, so the
    // displayed image is portrait with red on top and blue below.
    const red = await solid(40, 40, '#ff0000').png().toBuffer();
    const halves = await solid(80, 40, '#0000ff')
      .composite([{ input: red, left: 0, top: 0 }])
      .png()
      .toBuffer();
    const rotated = await sharp(halves).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    const data = await pixelsOf(rotated);
    expect(at(data, 0, 112, 10)).toBeCloseTo(normalised(255, 0), 1);
    expect(at(data, 2, 112, 10)).toBeCloseTo(normalised(0, 2), 1);
    expect(at(data, 0, 112, 213)).toBeCloseTo(normalised(0, 0), 1);
    expect(at(data, 2, 112, 213)).toBeCloseTo(normalised(255, 2), 1);
  });

  it('crops the centre square that resize_shorter then image_size would keep', async () => {
    // 288×256: black 16-pixel bands left and right of a white 256² square.
    const bordered = await solid(256, 256, '#ffffff')
      .extend({ left: 16, right: 16, background: '#000000' })
      .png()
      .toBuffer();
    // resize_shorter 224 = image_size: the central 224 of 256 rows and of 288 columns, all white.
    expect(at(await pixelsOf(bordered, contextWith({ resize_shorter: '224' })), 0, 0, 112)).toBeCloseTo(
      normalised(255, 0),
      5,
    );
    // resize_shorter 512: the central 112 source pixels, white too; a 128 crop of a 128-wide image would reach black.
    expect(at(await pixelsOf(bordered, contextWith({ resize_shorter: '512' })), 0, 0, 112)).toBeCloseTo(
      normalised(255, 0),
      5,
    );
    // resize_shorter 224 on a 2:1 image keeps the middle, not the left edge.
    const wide = await solid(200, 100, '#000000')
      .composite([{ input: await solid(100, 100, '#ffffff').png().toBuffer(), left: 50, top: 0 }])
      .png()
      .toBuffer();
    const data = await pixelsOf(wide, contextWith({ resize_shorter: '224' }));
    expect(at(data, 0, 0, 112)).toBeCloseTo(normalised(255, 0), 5);
    expect(at(data, 0, 223, 112)).toBeCloseTo(normalised(255, 0), 5);
  });

  it('flattens transparency onto white and turns grey into RGB', async () => {
    const transparent = await sharp({
      create: { width: 50, height: 50, channels: 4, background: '#00000000' },
    })
      .png()
      .toBuffer();
    expect(at(await pixelsOf(transparent), 1, 5, 5)).toBeCloseTo(normalised(255, 1), 5);
    const grey = await solid(50, 50, '#808080').toColourspace('b-w').png().toBuffer();
    const data = await pixelsOf(grey);
    for (const channel of [0, 1, 2]) expect(at(data, channel, 5, 5)).toBeCloseTo(normalised(128, channel), 1);
  });

  it('handles an extreme aspect ratio without a huge intermediate', async () => {
    const strip = await solid(16_000, 2, '#00ff00').png().toBuffer();
    expect(at(await pixelsOf(strip), 1, 100, 100)).toBeCloseTo(normalised(255, 1), 5);
  });

  it('refuses truncated images as malformed', async () => {
    const jpeg = await solid(64, 64, '#336699').jpeg().toBuffer();
    const png = await solid(64, 64, '#336699').png().toBuffer();
    for (const broken of [jpeg.subarray(0, jpeg.length / 2), png.subarray(0, png.length - 20)]) {
      expect((await inputErrorOf(() => preprocessor.preprocess(broken, context))).code).toBe('malformed');
    }
  });

  it('refuses a bomb header before decoding, and other formats before libvips sees them', async () => {
    const png = Buffer.from(await solid(8, 8, '#000000').png().toBuffer());
    png.writeUInt32BE(100_000, 16);
    png.writeUInt32BE(100_000, 20);
    png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
    expect((await inputErrorOf(() => preprocessor.preprocess(png, context))).code).toBe('over-limit');
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>');
    const tiff = await solid(8, 8, '#000000').tiff().toBuffer();
    for (const other of [svg, tiff]) {
      expect((await inputErrorOf(() => preprocessor.preprocess(other, context))).code).toBe(
        'unsupported-type',
      );
    }
  });

  it.each([
    [
      'a progressive JPEG',
      () => solid(64, 48, '#ff0000').jpeg({ progressive: true, quality: 95 }).toBuffer(),
    ],
    ['a CMYK JPEG', () => solid(64, 48, '#ff0000').toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer()],
    ['a lossless WebP', () => solid(64, 48, '#ff0000').webp({ lossless: true }).toBuffer()],
    ['a GIF', () => solid(64, 48, '#ff0000').gif().toBuffer()],
  ])('decodes %s into red pixels', async (_, make) => {
    const pixels = float32Of(await preprocessor.preprocess(await make(), context), 'input');
    for (const [channel, value] of [255, 0, 0].entries()) {
      expect(pixels[channel * plane + 112 * 224 + 112]).toBeCloseTo(normalised(value, channel), 0);
    }
  });

  it.each([
    ['GIF', (image: Sharp) => image.gif({ delay: [100, 100] })],
    ['WebP', (image: Sharp) => image.webp({ delay: [100, 100], lossless: true })],
  ])('decodes the first frame of an animated %s', async (_, encode) => {
    const frames = Buffer.concat([
      Buffer.alloc(16 * 16 * 3, Buffer.from([0, 0, 255])),
      Buffer.alloc(16 * 16 * 3, Buffer.from([255, 255, 0])),
    ]);
    const animated = await encode(
      sharp(frames, { raw: { width: 16, height: 32, channels: 3, pageHeight: 16 } }),
    ).toBuffer();
    expect((await sharp(animated, { pages: -1 }).metadata()).pages).toBe(2);
    const pixels = float32Of(await preprocessor.preprocess(animated, context), 'input');
    expect(pixels[2 * plane + 112 * 224 + 112]).toBeCloseTo(normalised(255, 2), 0);
    expect(pixels[112 * 224 + 112]).toBeCloseTo(normalised(0, 0), 0);
  });

  it('names a bad model configuration', async () => {
    const png = await solid(8, 8, '#000000').png().toBuffer();
    await expect(preprocessor.preprocess(png, contextWith({ layout: 'NHWC' }))).rejects.toThrow(
      'layout "NHWC" is not one of NCHW',
    );
    await expect(preprocessor.preprocess(png, contextWith({ mean: '0.5,0.5' }))).rejects.toThrow(
      'parameter "mean" must be 3 numbers',
    );
    await expect(preprocessor.preprocess(png, contextWith({ resize_shorter: '200' }))).rejects.toThrow(
      'parameter "resize_shorter" must be an integer ≥ 224',
    );
  });
});
