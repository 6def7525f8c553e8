/**
 * @module
 * The image adapter's backend face for `mobilenetv2-int8`: decode with sharp (PNG, JPEG — baseline, progressive,
 * CMYK —, WebP, and the first frame of a GIF; EXIF orientation applied, alpha flattened onto white, sRGB), take the centre square that a resize of the shorter side to `resize_shorter` followed
 * by a centre crop of `image_size` would keep (cropped before resizing, so an extreme aspect ratio never makes a
 * huge intermediate), resize it to `image_size`², then /255, (x − mean) / std per channel, NCHW.
 */
import sharp from 'sharp';
import { AdapterInputError, isAdapterInputError } from '../errors.ts';
import { integerParameter, numberListParameter, stringParameter } from '../shared/parameters.ts';
import { definePreprocessor, type PreprocessContext } from '../types.ts';
import { checkedSize, formatBySignature, imageMimeTypes } from './formats.ts';
import { imageLimits } from './limits.ts';

const supportedLayouts = ['NCHW'] as const;

interface ImageSettings {
  readonly size: number;
  readonly resizeShorter: number;
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

function settingsOf(context: PreprocessContext): ImageSettings {
  const layout = stringParameter(context, 'layout');
  if (!(supportedLayouts as readonly string[]).includes(layout)) {
    throw new Error(
      `model "${context.model}": layout "${layout}" is not one of ${supportedLayouts.join(', ')}`,
    );
  }
  const size = integerParameter(context, 'image_size', 1);
  const std = numberListParameter(context, 'std', 3);
  if (!std.every((value) => value > 0)) throw new Error(`model "${context.model}": std must be positive`);
  return {
    size,
    resizeShorter: integerParameter(context, 'resize_shorter', size),
    mean: numberListParameter(context, 'mean', 3),
    std,
  };
}

/** Decodes and crops to `size`² RGB bytes (HWC); anything sharp cannot decode is the client's `malformed`. */
async function decodeCentre(bytes: Uint8Array, { size, resizeShorter }: ImageSettings): Promise<Uint8Array> {
  try {
    // failOn 'error' refuses truncated or undecodable data, but not what the decoders only warn about, as browsers
    // show such files; limitInputPixels repeats the header check inside libvips.
    const image = sharp(bytes, { failOn: 'error', limitInputPixels: imageLimits.maxPixels });
    const { width, height } = (await image.metadata()).autoOrient;
    const side = Math.max(1, Math.round((Math.min(width, height) * size) / resizeShorter));
    const region = { left: (width - side) >> 1, top: (height - side) >> 1, width: side, height: side };
    return await image
      .autoOrient()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .extract(region)
      .resize(size, size, { fit: 'fill' })
      .raw({ depth: 'uchar' })
      .toBuffer();
  } catch (error) {
    if (isAdapterInputError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AdapterInputError('malformed', `image could not be decoded: ${reason}`);
  }
}

/** RGB bytes (HWC) → normalised float planes (CHW). */
function toNormalisedPlanes(rgb: Uint8Array, { size, mean, std }: ImageSettings): Float32Array {
  const plane = size * size;
  const planes = new Float32Array(3 * plane);
  for (let pixel = 0; pixel < plane; pixel++) {
    for (let channel = 0; channel < 3; channel++) {
      planes[channel * plane + pixel] =
        ((rgb[pixel * 3 + channel] ?? 0) / 255 - (mean[channel] ?? 0)) / (std[channel] ?? 1);
    }
  }
  return planes;
}

export default definePreprocessor({
  modality: 'image',
  async preprocess(bytes, context) {
    const settings = settingsOf(context);
    // Only the accepted formats reach libvips: its other loaders (SVG, TIFF, HEIF…) are attack surface we do not need.
    const format = formatBySignature(bytes);
    if (!format) {
      throw new AdapterInputError('unsupported-type', `image is not one of ${imageMimeTypes.join(', ')}`);
    }
    // The edge's checks again (structure, and the bomb guard from the header) before libvips allocates anything.
    checkedSize(bytes, format);
    const rgb = await decodeCentre(bytes, settings);
    if (rgb.length !== settings.size * settings.size * 3) {
      throw new Error(`sharp gave ${rgb.length} bytes for a ${settings.size}² RGB image`);
    }
    return {
      input: {
        type: 'float32',
        data: toNormalisedPlanes(rgb, settings),
        dims: [1, 3, settings.size, settings.size],
      },
    };
  },
});
