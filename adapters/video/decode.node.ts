/**
 * @module
 * What the backend takes out of a video, by one ffmpeg run each (ffmpeg.node.ts):
 *
 * - **frames** — the sampling policy: `n = min(maxSampledFrames, frames in the track)` frames evenly spaced in
 *   time, by ffmpeg's `fps` filter at `n / duration` frames a second (it picks frames by their timestamps, so a
 *   variable frame rate is sampled evenly in time, not in frame index). The container's rotation is applied
 *   (ffmpeg's autorotate) and each frame is scaled so that its shorter side is at most 256 px (720 px for OCR,
 *   `video.text`, where captions must stay legible), then written as PNG, so that the image model's own
 *   preprocessing (centre crop, resize, normalisation) sees what it would see for a photo. Scene-change
 *   preference is not applied: it needs every frame decoded at full size first.
 * - **audio** — the first audio track mixed to mono 16 kHz 16-bit PCM, handed over as a WAV file to the audio
 *   model's own preprocessing.
 *
 * Both runs are cut at `maxSeconds` of input, bounded in output bytes and killed at the decode deadline.
 */
import { AdapterInputError } from '../errors.ts';
import { runFfmpeg } from './ffmpeg.node.ts';
import { videoLimits } from './limits.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** A frame `side` px high of a 4096-px-wide video, as 8-bit RGB PNG, cannot be larger than this. */
const maxPngBytes = (side: number) => videoLimits.maxSide * side * 3 + 64 * 1024;
const audioRate = 16_000;

/** Splits ffmpeg's image2pipe stream into PNG files by walking their chunks to each IEND. */
export function splitPngs(stream: Uint8Array): Uint8Array[] {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  const frames: Uint8Array[] = [];
  let start = 0;
  while (start < stream.length) {
    if (!PNG_SIGNATURE.every((byte, i) => stream[start + i] === byte)) {
      throw new Error(`ffmpeg's frame stream has no PNG signature at byte ${start}`);
    }
    let at = start + PNG_SIGNATURE.length;
    let type = '';
    while (type !== 'IEND') {
      if (at + 12 > stream.length) throw new Error("ffmpeg's frame stream ends inside a PNG");
      type = String.fromCharCode(...stream.subarray(at + 4, at + 8));
      at += 12 + view.getUint32(at);
    }
    frames.push(stream.slice(start, at));
    start = at;
  }
  return frames;
}

/** Up to `count` frames evenly spaced over `durationSeconds`, each a PNG with its shorter side ≤ `side` px. */
export async function sampleFrames(
  bytes: Uint8Array,
  count: number,
  durationSeconds: number,
  side = 256,
): Promise<Uint8Array[]> {
  const rate = (count / durationSeconds).toFixed(6);
  const shorter = `'if(lte(iw,ih),min(${side},iw),-2)':'if(lte(iw,ih),-2,min(${side},ih))'`;
  const stream = await runFfmpeg(bytes, {
    output: [
      ...['-t', String(videoLimits.maxSeconds), '-map', '0:v:0', '-an', '-sn', '-dn'],
      ...['-vf', `fps=${rate}:round=near,scale=${shorter}`, '-frames:v', String(count)],
      ...['-c:v', 'png', '-f', 'image2pipe', 'pipe:1'],
    ],
    deadlineMs: videoLimits.decodeDeadlineMs,
    maxOutputBytes: count * maxPngBytes(side),
  });
  const frames = splitPngs(stream);
  if (frames.length === 0) throw new AdapterInputError('malformed', 'video has no decodable frame');
  return frames;
}

/** A 44-byte header for mono 16-bit PCM. */
function wavHeader(dataBytes: number): Uint8Array {
  const header = new Uint8Array(44);
  const view = new DataView(header.buffer);
  const ascii = (at: number, text: string) => [...text].forEach((c, i) => (header[at + i] = c.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, audioRate, true);
  view.setUint32(28, audioRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  return header;
}

/** The first audio track as a mono 16 kHz WAV file. */
export async function extractAudio(bytes: Uint8Array): Promise<Uint8Array> {
  const { maxSeconds, decodeDeadlineMs } = videoLimits;
  const pcm = await runFfmpeg(bytes, {
    output: [
      ...[
        '-t',
        String(maxSeconds),
        '-map',
        '0:a:0',
        '-vn',
        '-sn',
        '-dn',
        '-ac',
        '1',
        '-ar',
        String(audioRate),
      ],
      ...['-c:a', 'pcm_s16le', '-f', 's16le', 'pipe:1'],
    ],
    deadlineMs: decodeDeadlineMs,
    maxOutputBytes: (maxSeconds + 1) * audioRate * 2,
  });
  const samples = pcm.subarray(0, pcm.length - (pcm.length % 2));
  if (samples.length === 0) throw new AdapterInputError('empty', 'video audio track has no samples');
  const wav = new Uint8Array(44 + samples.length);
  wav.set(wavHeader(samples.length));
  wav.set(samples, 44);
  return wav;
}
