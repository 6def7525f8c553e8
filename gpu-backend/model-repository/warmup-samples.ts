/**
 * @module
 * The raw warm-up sample each modality's recipe writes into its model (`warmup/` + a `model_warmup` entry on the
 * raw input; docs/warmup.md): one item of the shape real requests take — a sentence, a page, a 640×480 JPEG, a
 * second of 22.05 kHz WAV — sent once through the adapter, the batcher and the session before the model is ready.
 * A maximum-size batch of zeros alone (`MODALFUSE_WARMUP=onnx`) left the adapter's first call (sharp's decoder, the
 * WAV reader, the VAD, the tokenizer's tables) and onnxruntime's first run at a real length to the first client;
 * `bench:cold` shows what this sample adds (docs/warmup.md).
The items are generated, so every build writes the same bytes.
 */
import sharp from 'sharp';
import type { ModelConfig } from './config.ts';
import { RAW_INPUT } from './modality-model.ts';

export type WarmupSamples = NonNullable<ModelConfig['model_warmup']>;

export interface RawWarmup {
  /** By path relative to the model folder (`warmup/<file>`). */
  readonly files: Record<string, Uint8Array>;
  readonly warmup: WarmupSamples;
}

export type WarmupModality = 'text' | 'html' | 'image' | 'audio';

const SENTENCE = 'A short sentence about the weather in spring, about as long as what clients send.';
const PAGE = `<!doctype html><html><head><title>Warm-up</title></head><body><h1>Warm-up</h1><p>${SENTENCE}</p></body></html>`;

/** A 640×480 JPEG of a colour ramp with a pattern, so that its decoding and resizing are those of a photo. */
async function photo(): Promise<Uint8Array> {
  const width = 640;
  const height = 480;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 3;
      pixels[at] = (x * 255) / width;
      pixels[at + 1] = (y * 255) / height;
      pixels[at + 2] = ((x ^ y) & 0x3f) * 4;
    }
  }
  return new Uint8Array(
    await sharp(pixels, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 85 })
      .toBuffer(),
  );
}

/** One second of 16-bit mono PCM WAV at 22.05 kHz (espeak-ng's rate, so the resampler runs): a warbling tone. */
function speech(): Uint8Array {
  const rate = 22050;
  const samples = rate;
  const bytes = new Uint8Array(44 + samples * 2);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string) =>
    [...text].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples * 2, true);
  ascii(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, samples * 2, true);
  for (let i = 0; i < samples; i++) {
    const t = i / rate;
    const pitch = 180 + 40 * Math.sin(2 * Math.PI * 3 * t);
    const envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
    view.setInt16(44 + i * 2, Math.round(12000 * envelope * Math.sin(2 * Math.PI * pitch * t)), true);
  }
  return bytes;
}

async function item(modality: WarmupModality): Promise<{ file: string; bytes: Uint8Array }> {
  switch (modality) {
    case 'text':
      return { file: 'sentence.txt', bytes: new TextEncoder().encode(SENTENCE) };
    case 'html':
      return { file: 'page.html', bytes: new TextEncoder().encode(PAGE) };
    case 'image':
      return { file: 'photo.jpg', bytes: await photo() };
    case 'audio':
      return { file: 'speech.wav', bytes: speech() };
  }
}

/** The modality's sample: its file under `warmup/` and the `model_warmup` entry that sends it once. */
export async function rawWarmup(modality: WarmupModality): Promise<RawWarmup> {
  const { file, bytes } = await item(modality);
  return {
    files: { [`warmup/${file}`]: bytes },
    warmup: [
      {
        name: `${modality}_request`,
        batch_size: 1,
        inputs: { [RAW_INPUT.name]: { data_type: 'TYPE_STRING', dims: [1], input_data_file: file } },
      },
    ],
  };
}
