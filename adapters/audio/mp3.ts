/**
 * @module
 * MP3 (MPEG-1/2/2.5 Layer III) at the edge: an optional ID3v2 tag is skipped, the first frame header gives the rate
 * and channels, and the duration comes from the Xing/Info or VBRI header when the encoder wrote one (frame count ×
 * samples per frame). Without one the file is taken as constant bit rate and the duration estimated from the first
 * frame's bit rate — a bound that a VBR file can exceed, so the backend's decoder stops at the limit regardless.
 */
import { AdapterInputError } from '../errors.ts';
import { fourCC } from '../shared/bytes.ts';
import type { StreamInfo } from './stream-info.ts';

const bitRates = {
  mpeg1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  mpeg2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const sampleRates: Readonly<Record<number, readonly number[]>> = {
  3: [44_100, 48_000, 32_000],
  2: [22_050, 24_000, 16_000],
  0: [11_025, 12_000, 8000],
};

interface FrameHeader {
  readonly mpeg1: boolean;
  readonly sampleRate: number;
  readonly channels: number;
  readonly kbps: number;
}

/** Where the audio starts: after an ID3v2 tag (10-byte header, syncsafe size, optional footer). */
function audioStart(bytes: Uint8Array): number {
  if (bytes.length < 10 || fourCC(bytes, 0).slice(0, 3) !== 'ID3') return 0;
  const size = bytes.subarray(6, 10).reduce((sum, byte) => sum * 128 + (byte & 0x7f), 0);
  return 10 + size + ((bytes[5] ?? 0) & 0x10 ? 10 : 0);
}

function frameHeader(bytes: Uint8Array, at: number): FrameHeader | undefined {
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0] = bytes.subarray(at, at + 4);
  const version = (b1 >> 3) & 3;
  const layer = (b1 >> 1) & 3;
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0 || version === 1 || layer !== 1) return undefined;
  const mpeg1 = version === 3;
  const kbps = (mpeg1 ? bitRates.mpeg1 : bitRates.mpeg2)[b2 >> 4];
  const sampleRate = sampleRates[version]?.[(b2 >> 2) & 3];
  if (!kbps || !sampleRate) return undefined;
  return { mpeg1, sampleRate, channels: b3 >> 6 === 3 ? 1 : 2, kbps };
}

export function isMp3(bytes: Uint8Array): boolean {
  const start = audioStart(bytes);
  return start > 0 || frameHeader(bytes, 0) !== undefined;
}

/** Frames counted by a Xing/Info or VBRI header inside the first frame, if any. */
function countedFrames(bytes: Uint8Array, at: number, header: FrameHeader): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sideInfo = header.mpeg1 ? (header.channels === 1 ? 17 : 32) : header.channels === 1 ? 9 : 17;
  const xing = at + 4 + sideInfo;
  if (xing + 12 <= bytes.length && ['Xing', 'Info'].includes(fourCC(bytes, xing))) {
    return view.getUint32(xing + 4) & 1 ? view.getUint32(xing + 8) : undefined;
  }
  const vbri = at + 36;
  if (vbri + 18 <= bytes.length && fourCC(bytes, vbri) === 'VBRI') return view.getUint32(vbri + 14);
  return undefined;
}

export function parseMp3(bytes: Uint8Array): StreamInfo {
  const start = audioStart(bytes);
  const header = frameHeader(bytes, start);
  if (!header)
    throw new AdapterInputError('malformed', 'MP3 has no Layer III frame header where its audio starts');
  const samplesPerFrame = header.mpeg1 ? 1152 : 576;
  const frames = countedFrames(bytes, start, header);
  const durationSeconds =
    frames === undefined
      ? ((bytes.length - start) * 8) / (header.kbps * 1000)
      : (frames * samplesPerFrame) / header.sampleRate;
  return { format: 'mp3', sampleRate: header.sampleRate, channels: header.channels, durationSeconds };
}
