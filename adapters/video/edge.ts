/**
 * @module
 * The video adapter's edge face: MP4, QuickTime MOV, WebM and Matroska, recognised by their magic bytes, read by
 * mediabunny (container.ts) and held to the byte, duration, frame-size and frame-count limits from the container's
 * metadata alone — nothing is decoded at the edge. The canonical bytes are the original file: frames and audio are
 * decoded on the backend (`decode.node.ts`), whose models sample the frames (`video.frames`), the audio track
 * (`video.audio`) and the text on a few frames (`video.text`).
 */
import { AdapterInputError } from '../errors.ts';
import { assertDeclaredType, assertMaxBytes, requireBytes } from '../shared/bytes.ts';
import { sniffMimeType } from '../shared/sniff.ts';
import { defineAdapter, type CanonicalInput, type RawInput } from '../types.ts';
import { checkedVideo, containerFamily, videoMimeTypes } from './container.ts';
import { videoLimits } from './limits.ts';

/** Every spelling a client may declare for each container. */
const declaredTypes: Readonly<Record<string, readonly string[]>> = {
  'video/mp4': ['video/mp4', 'audio/mp4', 'application/mp4'],
  'video/quicktime': ['video/quicktime', 'video/mp4'],
  'video/webm': ['video/webm', 'audio/webm'],
  'video/x-matroska': ['video/x-matroska', 'video/matroska', 'video/webm'],
};

async function refuseUnknown(raw: Uint8Array): Promise<never> {
  const sniffed = await sniffMimeType(raw);
  throw new AdapterInputError(
    'unsupported-type',
    `video bytes are ${sniffed ?? 'of an unknown type'}; supported: MP4, MOV, WebM, Matroska`,
    { found: sniffed ?? 'unknown' },
  );
}

async function normalize(input: RawInput): Promise<CanonicalInput> {
  const { bytes, declaredType } = requireBytes(input, 'video');
  assertMaxBytes(bytes.length, videoLimits.maxBytes);
  if (bytes.length === 0) throw new AdapterInputError('empty', 'video is empty');
  if (!containerFamily(bytes)) return refuseUnknown(bytes);
  const { mimeType, ...meta } = await checkedVideo(bytes);
  assertDeclaredType(declaredType, declaredTypes[mimeType] ?? [mimeType], mimeType);
  return { modality: 'video', bytes, mimeType, meta };
}

export const video = defineAdapter({
  modality: 'video',
  defaultModel: 'video-frames-mobilenetv2-int8',
  mimeTypes: videoMimeTypes,
  jsonForms: ['dataUrl', 'base64', 'url'],
  limits: videoLimits,
  // A task names the parts it fuses (`modalities: {"video.frames": {}, "video.audio": {}}`); `video` is their input.
  partsOnly: true,
  parts: {
    frames: { defaultModel: 'video-frames-mobilenetv2-int8' },
    audio: { defaultModel: 'video-audio-speech-embedding' },
    // The text burnt into the frames (OCR), in the text model's space: scored by the text head until it has examples.
    text: { defaultModel: 'video-text-use-lite', borrows: 'text' },
  },
  normalize,
});
