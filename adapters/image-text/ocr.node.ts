/**
 * @module
 * Text in one image, through two repository models run with `context.run` (so that their calls join the dynamic
 * batcher): the image decoded by sharp (EXIF orientation applied, alpha flattened onto white) and kept at most
 * {@link workingSide} px a side; detection on a copy whose longer side is at most 960 px, both sides multiples of 32
 * (PaddleOCR's `DetResizeForTest`, `limit_side_len` 960, `limit_type` max), normalised with ImageNet's mean and std
 * on BGR planes (PaddleOCR's `NormalizeImage` on OpenCV's BGR images); the {@link maxBoxes} largest boxes cropped,
 * each resized to 48 px high keeping its aspect (PaddleOCR's `rec_image_shape` 3,48,320; at most
 * {@link maxLineWidth} px wide) and normalised as (x/255 − 0.5)/0.5; then CTC decoding and reading order.
 */
import sharp from 'sharp';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringParameter } from '../shared/parameters.ts';
import type { PreprocessContext, TensorValue } from '../types.ts';
import { detectBoxes, type Box } from './detect.ts';
import { ctcDecode, dictionaryOf, dropScore, meanOf, readingOrder, type Line } from './recognise.ts';

/** The sides images are worked at: large enough for captions, bounded in memory whatever the input's size. */
export const workingSide = 1920;
const detectionSide = 960;
const lineHeight = 48;
export const maxLineWidth = 1600;
/** Boxes recognised per image, the largest first: bounds the work one image can ask for. */
export const maxBoxes = 32;
/** The recognition net's time steps are its input's width over 8 (PP-OCRv4's stride). */
const recognitionStride = 8;

const detectionMean = [0.485, 0.456, 0.406];
const detectionStd = [0.229, 0.224, 0.225];

interface Raster {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface Reading {
  readonly text: string;
  /** Mean probability of the recognised characters, in [0, 1]. */
  readonly confidence: number;
  readonly lines: number;
}

const dictionaries = new Map<string, Promise<string[]>>();

function dictionary(context: PreprocessContext): Promise<string[]> {
  const path = join(context.directory ?? '.', stringParameter(context, 'ocr_dictionary'));
  const known = dictionaries.get(path) ?? readFile(path, 'utf8').then(dictionaryOf);
  dictionaries.set(path, known);
  return known;
}

async function decode(bytes: Uint8Array, maxPixels: number): Promise<Raster> {
  const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels })
    .autoOrient()
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .resize(workingSide, workingSide, { fit: 'inside', withoutEnlargement: true })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** RGB bytes (HWC) → BGR float planes (CHW), (x/255 − mean) / std per plane. */
function bgrPlanes(raster: Raster, mean: readonly number[], std: readonly number[]): Float32Array {
  const plane = raster.width * raster.height;
  const planes = new Float32Array(3 * plane);
  for (let pixel = 0; pixel < plane; pixel++)
    for (let c = 0; c < 3; c++) {
      const rgb = raster.data[pixel * 3 + (2 - c)] ?? 0;
      planes[c * plane + pixel] = (rgb / 255 - (mean[c] ?? 0)) / (std[c] ?? 1);
    }
  return planes;
}

async function resized(raster: Raster, width: number, height: number, region?: Box): Promise<Raster> {
  const source = sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 3 } });
  const cropped = region ? source.extract(region) : source;
  const data = await cropped.resize(width, height, { fit: 'fill' }).raw().toBuffer();
  return { data, width, height };
}

const multipleOf32 = (side: number) => Math.max(32, Math.round(side / 32) * 32);

function onlyOutput(outputs: Record<string, TensorValue>, model: string): TensorValue {
  const [output] = Object.values(outputs);
  if (output === undefined || !(output.data instanceof Float32Array))
    throw new Error(`model "${model}" returned no float output`);
  return output;
}

/** Text boxes in the working image's pixels, the {@link maxBoxes} largest. */
async function detect(raster: Raster, context: PreprocessContext): Promise<Box[]> {
  const scale = Math.min(1, detectionSide / Math.max(raster.width, raster.height));
  const width = multipleOf32(raster.width * scale);
  const height = multipleOf32(raster.height * scale);
  const input = await resized(raster, width, height);
  const model = stringParameter(context, 'ocr_detection_model');
  const data = bgrPlanes(input, detectionMean, detectionStd);
  const map = onlyOutput(
    await context.run(model, { x: { type: 'float32', data, dims: [1, 3, height, width] } }),
    model,
  );
  const stride = map.dims[3] ?? width;
  const boxes = detectBoxes({ data: map.data as Float32Array, width, height, stride });
  const [sx, sy] = [raster.width / width, raster.height / height];
  return boxes
    .sort((a, b) => b.width * b.height - a.width * a.height)
    .slice(0, maxBoxes)
    .map((box) => {
      const left = Math.min(raster.width - 1, Math.floor(box.left * sx));
      const top = Math.min(raster.height - 1, Math.floor(box.top * sy));
      const w = Math.max(1, Math.min(raster.width - left, Math.round(box.width * sx)));
      const h = Math.max(1, Math.min(raster.height - top, Math.round(box.height * sy)));
      return { left, top, width: w, height: h, score: box.score };
    });
}

async function recognise(
  raster: Raster,
  box: Box,
  context: PreprocessContext,
  keys: string[],
): Promise<Line> {
  const width = Math.min(
    maxLineWidth,
    Math.max(lineHeight / 3, Math.ceil((lineHeight * box.width) / box.height)),
  );
  const crop = await resized(raster, width, lineHeight, box);
  const model = stringParameter(context, 'ocr_recognition_model');
  const data = bgrPlanes(crop, [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]);
  const output = onlyOutput(
    await context.run(model, { x: { type: 'float32', data, dims: [1, 3, lineHeight, width] } }),
    model,
  );
  const [, steps = 0, classes = 0] = output.dims;
  // A batched call pads widths: the steps past this crop's own width read padding, not text.
  const own = Math.min(steps, Math.ceil(width / recognitionStride));
  return { ...ctcDecode(output.data as Float32Array, own, classes, keys), box };
}

/** The text of an image in reading order and its confidence; empty text when none is found. */
export async function readText(
  bytes: Uint8Array,
  context: PreprocessContext,
  maxPixels: number,
): Promise<Reading> {
  const [raster, keys] = await Promise.all([decode(bytes, maxPixels), dictionary(context)]);
  const boxes = await detect(raster, context);
  const lines = (await Promise.all(boxes.map((box) => recognise(raster, box, context, keys)))).filter(
    (line) => line.text.trim() !== '' && meanOf(line.probabilities) >= dropScore,
  );
  return {
    text: readingOrder(lines),
    confidence: meanOf(lines.flatMap((line) => line.probabilities)),
    lines: lines.length,
  };
}
