/**
 * @module
 * Video containers — MP4 and QuickTime MOV (phones, ffmpeg, Safari's MediaRecorder), WebM and Matroska (Chrome's
 * and Firefox's MediaRecorder, ffmpeg) — recognised by their magic bytes and read by mediabunny, a maintained
 * pure-TypeScript demuxer that runs in workerd and in Node alike, so both faces read the same facts from the
 * container's metadata: codecs, the displayed size (rotation applied), duration and frame count. Nothing here
 * decodes a frame.
 */
import {
  BufferSource,
  Input,
  MATROSKA,
  EncodedPacketSink,
  MP4,
  QTFF,
  WEBM,
  type InputFormat,
  type InputTrack,
  type InputVideoTrack,
} from 'mediabunny';
import { AdapterInputError, isAdapterInputError } from '../errors.ts';
import { fourCC, startsWith } from '../shared/bytes.ts';
import { checkedVideoFacts } from './limits.ts';

export interface VideoContainer {
  readonly mimeType: string;
  /** Every spelling a client may declare for it. */
  readonly declaredTypes: readonly string[];
}

const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];
const formats: readonly InputFormat[] = [MP4, QTFF, WEBM, MATROSKA];

export const videoMimeTypes = ['video/mp4', 'video/quicktime', 'video/webm', 'video/x-matroska'] as const;

/** Which family the magic bytes claim: an ISO-BMFF `ftyp` box, or an EBML header; undefined for anything else. */
export function containerFamily(bytes: Uint8Array): 'isobmff' | 'ebml' | undefined {
  if (bytes.length >= 12 && fourCC(bytes, 4) === 'ftyp') return 'isobmff';
  if (startsWith(bytes, EBML_MAGIC)) return 'ebml';
  return undefined;
}

export interface ContainerFacts {
  readonly mimeType: string;
  readonly videoCodec: string;
  /** The size frames are shown at, after the container's rotation. */
  readonly width: number;
  readonly height: number;
  readonly rotation: number;
  readonly durationSeconds: number;
  readonly frames: number;
  readonly frameRate: number;
  /** `none` when the file has no audio track. */
  readonly audioCodec: string;
}

function essence(mime: string): string {
  return mime.replace(/;.*$/s, '').trim();
}

async function videoTrack(input: Input): Promise<InputVideoTrack> {
  const track = await input.getPrimaryVideoTrack();
  if (track) return track;
  // No track at all is a file cut before its track headers (an MP4 whose moov box came last).
  if ((await input.getTracks()).length === 0) {
    throw new AdapterInputError('malformed', 'video has no tracks: it is cut short or broken');
  }
  throw new AdapterInputError('unsupported-type', 'the file has no video track (send it as audio)');
}

/**
 * A file cut short can keep a complete index (an MP4 with its moov first) while the frames it points to are gone:
 * the track's last packet must be there in full.
 */
async function assertComplete(track: InputTrack): Promise<void> {
  const last = await new EncodedPacketSink(track).getPacket(Infinity);
  if (!last || last.data.length === 0) {
    throw new AdapterInputError(
      'malformed',
      `video's ${track.type} track ends before its last frame: the file is cut short`,
    );
  }
}

async function readFacts(input: Input): Promise<ContainerFacts> {
  const track = await videoTrack(input);
  await assertComplete(track);
  const stats = await track.computePacketStats();
  if (stats.packetCount === 0) throw new AdapterInputError('empty', 'video track holds no frames');
  const durationSeconds = await input.computeDuration([track]);
  if (!(durationSeconds > 0)) throw new AdapterInputError('empty', 'video track lasts 0 s');
  const audio = await input.getPrimaryAudioTrack();
  if (audio) await assertComplete(audio);
  return {
    mimeType: essence(await input.getMimeType()),
    videoCodec: track.codec ?? 'unknown',
    width: track.displayWidth,
    height: track.displayHeight,
    rotation: track.rotation,
    durationSeconds,
    frames: stats.packetCount,
    frameRate: stats.averagePacketRate,
    audioCodec: audio ? (audio.codec ?? 'unknown') : 'none',
  };
}

/** The metadata facts of a video file; mediabunny's errors on broken bytes become `malformed`. */
export async function containerFacts(bytes: Uint8Array): Promise<ContainerFacts> {
  const input = new Input({ source: new BufferSource(bytes), formats: [...formats] });
  try {
    return await readFacts(input);
  } catch (error) {
    if (isAdapterInputError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AdapterInputError('malformed', `video could not be read: ${reason}`);
  } finally {
    input.dispose();
  }
}

/** The codecs the backend's decoder is measured on (adapters/README.md); anything else is refused by name. */
export const videoCodecs: readonly string[] = ['avc', 'hevc', 'vp8', 'vp9', 'av1'];

/** The container's facts, refused unless its codec is decodable and every limit holds: what both faces check. */
export async function checkedVideo(bytes: Uint8Array): Promise<ContainerFacts> {
  const facts = await containerFacts(bytes);
  if (!videoCodecs.includes(facts.videoCodec)) {
    throw new AdapterInputError(
      'unsupported-type',
      `video codec ${facts.videoCodec} is not one of ${videoCodecs.join(', ')}`,
      { found: facts.videoCodec },
    );
  }
  return checkedVideoFacts(facts);
}
