/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { inputErrorOf } from '../shared/testing.ts';
import type { RawInput } from '../types.ts';
import { audio } from './edge.ts';
import flacMono from './fixtures/tone-16k-mono.flac?inline';
import flacStereo from './fixtures/tone-44k-stereo.flac?inline';
import mp3Mono from './fixtures/tone-16k-mono.mp3?inline';
import mp3Vbr from './fixtures/tone-44k-stereo-vbr.mp3?inline';
import vorbis from './fixtures/tone-16k-mono.ogg?inline';
import opusMono from './fixtures/tone-16k-mono.opus?inline';
import opusStereo from './fixtures/tone-44k-stereo.opus?inline';
import { patchFlac, patchOpusChannels } from './fixtures/patch.ts';
import { encodeWav, sine } from './fixtures/wav.ts';

/** Fixtures arrive as data URLs (Vite's `?inline`), as a client's files would. */
function bytesOfDataUrl(dataUrl: string): Uint8Array {
  return Uint8Array.from(atob(dataUrl.slice(dataUrl.indexOf(',') + 1)), (char) => char.charCodeAt(0));
}

function bytes(value: Uint8Array, declaredType?: string): RawInput {
  return { kind: 'bytes', bytes: value, declaredType };
}

function errorOf(value: Uint8Array, declaredType?: string) {
  return inputErrorOf(() => audio.normalize(bytes(value, declaredType)));
}

const monoSecond = encodeWav({ sampleRate: 16_000, data: sine(440, 16_000, 1) });

describe('audio edge adapter', () => {
  it('accepts 16-bit PCM mono, keeping the bytes and reading rate, channels and duration', async () => {
    expect(await audio.normalize(bytes(monoSecond, 'audio/wav'))).toEqual({
      modality: 'audio',
      bytes: monoSecond,
      mimeType: 'audio/wav',
      meta: { sampleRate: 16_000, channels: 1, durationSeconds: 1 },
    });
  });

  it.each(['audio/x-wav', 'audio/wave', 'audio/vnd.wave; codecs=1', 'application/octet-stream', undefined])(
    'accepts stereo 44.1 kHz declared as %s',
    async (declared) => {
      const stereo = encodeWav({ sampleRate: 44_100, channels: 2, data: sine(440, 44_100, 0.5, 8000, 2) });
      expect((await audio.normalize(bytes(stereo, declared))).meta).toEqual({
        sampleRate: 44_100,
        channels: 2,
        durationSeconds: 0.5,
      });
    },
  );

  it('skips other chunks (LIST with an odd size) and accepts extensible PCM', async () => {
    const list = new TextEncoder().encode('INFOISFT\u0005\u0000\u0000\u0000lavf');
    const wav = encodeWav({
      sampleRate: 8000,
      formatTag: 0xfffe,
      subFormat: 1,
      data: sine(300, 8000, 0.25),
      extraChunks: [['LIST', list]],
    });
    expect((await audio.normalize(bytes(wav))).meta).toEqual({
      sampleRate: 8000,
      channels: 1,
      durationSeconds: 0.25,
    });
  });

  type Layout = { channels?: number; bitsPerSample: number; formatTag?: number; subFormat?: number };
  it.each<[string, Layout]>([
    ['8-bit PCM', { bitsPerSample: 8 }],
    ['24-bit PCM', { bitsPerSample: 24 }],
    ['32-bit PCM', { bitsPerSample: 32 }],
    ['32-bit float', { bitsPerSample: 32, formatTag: 3 }],
    ['extensible float', { bitsPerSample: 32, formatTag: 0xfffe, subFormat: 3 }],
    ['64-bit float', { bitsPerSample: 64, formatTag: 3 }],
    ['6 channels', { channels: 6, bitsPerSample: 16 }],
    ['µ-law', { bitsPerSample: 8, formatTag: 7 }],
    ['A-law', { bitsPerSample: 8, formatTag: 6 }],
  ])('accepts %s, reading its duration from the header', async (_, spec) => {
    const wav = encodeWav({ sampleRate: 16_000, data: new Uint8Array(960 * 6), ...spec });
    const bytesPerFrame = ((spec.channels ?? 1) * spec.bitsPerSample) / 8;
    expect((await audio.normalize(bytes(wav))).meta).toEqual({
      sampleRate: 16_000,
      channels: spec.channels ?? 1,
      durationSeconds: 5760 / bytesPerFrame / 16_000,
    });
  });

  it.each([
    ['ADPCM', { bitsPerSample: 4, formatTag: 0x11 }, 'format tag 17'],
    ['12-bit PCM', { bitsPerSample: 12 }, 'PCM bit depth (12)'],
    ['16-bit float', { bitsPerSample: 16, formatTag: 3 }, 'float bit depth (16)'],
    ['33 channels', { channels: 33 }, 'WAV 33 channels'],
    ['a 4 kHz rate', { sampleRate: 4000 }, 'WAV 4000 Hz'],
    ['a 384 kHz rate', { sampleRate: 384_000 }, 'WAV 384000 Hz'],
  ])('refuses %s as unsupported, saying what it is', async (_, spec, found) => {
    const wav = encodeWav({ sampleRate: 16_000, data: new Uint8Array(960), ...spec });
    const error = await errorOf(wav);
    expect(error.code).toBe('unsupported-type');
    expect(error.message).toContain('supported');
    expect(String(error.details.found)).toContain(found);
  });

  it('refuses other audio and unknown bytes as unsupported, naming what it found', async () => {
    const aiff = Uint8Array.of(...new TextEncoder().encode('FORM\0\0\0\x20AIFFCOMM'), ...new Uint8Array(64));
    expect((await errorOf(aiff, 'audio/wav')).details).toEqual({ found: 'audio/aiff' });
    expect((await errorOf(new TextEncoder().encode('just some text'))).code).toBe('unsupported-type');
  });

  it('refuses a WAV declared as another type', async () => {
    const error = await errorOf(monoSecond, 'audio/mpeg');
    expect(error.code).toBe('type-mismatch');
    expect(error.status).toBe(415);
  });

  /** The WAV's RIFF and data sizes, as the canonical bytes declare them. */
  function declaredSizes(wav: Uint8Array): { riff: number; data: number } {
    const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
    return { riff: view.getUint32(4, true), data: view.getUint32(40, true) };
  }

  it.each([
    ['0 (never patched)', 0],
    ['0x7FFFF000 (sox, espeak-ng)', 0x7fff_f000],
    ['0x7FFFFFFF', 0x7fff_ffff],
    ['0x80000000 (arecord)', 0x8000_0000],
    ['0xFFFFFFFF (ffmpeg)', 0xffff_ffff],
    ['past the end by 1001 bytes', 16_000 * 4 * 0.25 + 1001],
  ])('reads a data size of %s to the end of the file, in whole frames', async (_, declared) => {
    const samples = sine(440, 16_000, 0.25, 8000, 2);
    const wav = encodeWav({ sampleRate: 16_000, channels: 2, data: samples, declaredDataSize: declared });
    // The RIFF size a streaming writer leaves with it, and a stray odd byte: not a whole frame.
    new DataView(wav.buffer).setUint32(4, (declared + 36) % 2 ** 32, true);
    const withStray = Uint8Array.of(...wav, 0x7f);
    const result = await audio.normalize(bytes(withStray));
    expect(result.meta).toEqual({ sampleRate: 16_000, channels: 2, durationSeconds: 0.25 });
    expect(declaredSizes(result.bytes)).toEqual({ riff: withStray.length - 8, data: samples.byteLength + 1 });
    expect(await audio.normalize(bytes(result.bytes))).toEqual(result);
  });

  it('keeps a WAV whose sizes are true and which has no metadata chunk as it is', async () => {
    expect((await audio.normalize(bytes(monoSecond))).bytes).toBe(monoSecond);
  });

  it('holds a placeholder-sized WAV to the duration limit from the bytes really there', async () => {
    const rate = 8000;
    const over = encodeWav({
      sampleRate: rate,
      data: new Int16Array(rate * 61),
      declaredDataSize: 0x7fff_f000,
    });
    expect((await errorOf(over)).details).toEqual({ limit: 60, value: 61 });
    const under = encodeWav({ sampleRate: rate, data: new Int16Array(rate * 59), declaredDataSize: 0 });
    expect((await audio.normalize(bytes(under))).meta).toMatchObject({ durationSeconds: 59 });
  });

  it.each([
    ['a bare RIFF header', monoSecond.subarray(0, 12)],
    ['a cut fmt chunk', monoSecond.subarray(0, 30)],
    ['no data chunk', monoSecond.subarray(0, 36)],
  ])('refuses %s as malformed', async (_, value) => {
    expect((await errorOf(value)).code).toBe('malformed');
  });

  it('refuses data before fmt and an inconsistent block align', async () => {
    const swapped = monoSecond.slice();
    swapped.set(new TextEncoder().encode('data'), 12);
    expect((await errorOf(swapped)).code).toBe('malformed');
    const misaligned = monoSecond.slice();
    new DataView(misaligned.buffer).setUint16(32, 4, true);
    expect((await errorOf(misaligned)).code).toBe('malformed');
  });

  it('refuses zero samples and zero bytes as empty', async () => {
    expect((await errorOf(encodeWav({ sampleRate: 16_000, data: new Int16Array(0) }))).code).toBe('empty');
    expect((await errorOf(encodeWav({ sampleRate: 16_000, channels: 2, data: Int16Array.of(7) }))).code).toBe(
      'empty',
    );
    expect((await errorOf(new Uint8Array(0))).code).toBe('empty');
  });

  it('refuses a clip over the duration limit from its header, and accepts one at the limit', async () => {
    const rate = 8000;
    const atLimit = encodeWav({ sampleRate: rate, data: new Int16Array(rate * audio.limits.maxSeconds) });
    expect((await audio.normalize(bytes(atLimit))).meta).toMatchObject({ durationSeconds: 60 });
    const over = encodeWav({ sampleRate: rate, data: new Int16Array(rate * audio.limits.maxSeconds + 1) });
    const error = await errorOf(over);
    expect(error.code).toBe('over-limit');
    expect(error.details).toEqual({ limit: 60, value: 60.000125 });
  });

  it('refuses more bytes than the limit before parsing them', async () => {
    const oversized = new Uint8Array(audio.limits.maxBytes + 1);
    oversized.set(monoSecond);
    const error = await errorOf(oversized);
    expect(error.code).toBe('too-large');
    expect(error.status).toBe(413);
  });

  it('refuses a JSON string', async () => {
    expect((await inputErrorOf(() => audio.normalize({ kind: 'text', value: 'hello' }))).code).toBe(
      'unsupported-type',
    );
  });

  it.each([
    ['FLAC mono', flacMono, 'audio/flac', 16_000, 1, 1],
    ['FLAC stereo', flacStereo, 'audio/x-flac', 44_100, 2, 0.5],
    ['MP3 with a Xing header', mp3Mono, 'audio/mpeg', 16_000, 1, 1.08],
    ['VBR MP3 behind an ID3 tag', mp3Vbr, 'audio/mp3', 44_100, 2, 0.55],
    ['Ogg Opus mono', opusMono, 'audio/ogg', 48_000, 1, 1],
    ['Ogg Opus stereo', opusStereo, 'audio/opus', 48_000, 2, 0.5],
  ])(
    'accepts %s, with its duration from the headers',
    async (_, dataUrl, declared, sampleRate, channels, seconds) => {
      const input = bytesOfDataUrl(dataUrl);
      const result = await audio.normalize(bytes(input, declared));
      expect(result.bytes).toEqual(input);
      expect(result.meta).toMatchObject({ sampleRate, channels });
      expect(result.meta.durationSeconds).toBeCloseTo(seconds, 2);
    },
  );

  it('refuses Ogg Vorbis by name, compressed files declared as WAV, and cut headers', async () => {
    expect((await errorOf(bytesOfDataUrl(vorbis))).details).toEqual({ found: 'audio/ogg (Vorbis)' });
    expect((await errorOf(bytesOfDataUrl(flacMono), 'audio/wav')).code).toBe('type-mismatch');
    expect((await errorOf(bytesOfDataUrl(flacMono).subarray(0, 30))).code).toBe('malformed');
    expect((await errorOf(bytesOfDataUrl(opusMono).subarray(0, 40))).code).toBe('malformed');
  });

  it('refuses a FLAC whose STREAMINFO hides its length, and one declaring two hours', async () => {
    const unknown = bytesOfDataUrl(flacMono).slice();
    unknown.fill(0, 21, 26);
    expect((await errorOf(unknown)).message).toMatch(/total sample count/);
    const long = bytesOfDataUrl(flacMono).slice();
    new DataView(long.buffer).setUint32(22, 16_000 * 7200);
    expect((await errorOf(long)).code).toBe('over-limit');
  });

  it('holds FLAC and Ogg Opus to the rate, channel and decoded-size limits from their headers', async () => {
    const flac = bytesOfDataUrl(flacMono);
    const fast = await errorOf(patchFlac(flac, { sampleRate: 384_000, totalSamples: 384_000 }));
    expect([fast.code, fast.status, fast.message]).toEqual([
      'over-limit',
      422,
      'audio has a sample rate of 384000 Hz; the limit is 8000–192000 Hz',
    ]);
    // 8 channels × 10 s at 192 kHz: within the duration limit, but 15 M decoded samples.
    const wide = await errorOf(
      patchFlac(flac, { sampleRate: 192_000, channels: 8, totalSamples: 1_920_000 }),
    );
    expect(wide.code).toBe('over-limit');
    expect(wide.message).toMatch(/15360000 decoded samples .*the limit is 8388608 samples/);
    const opus = await errorOf(patchOpusChannels(bytesOfDataUrl(opusMono), 64));
    expect([opus.code, opus.message]).toEqual([
      'over-limit',
      'audio has 64 channels; the limit is 1–32 channels',
    ]);
  });

  it('accepts a FLAC header at the limits: 8 channels of 48 kHz for 20 s', async () => {
    const flac = patchFlac(bytesOfDataUrl(flacMono), {
      sampleRate: 48_000,
      channels: 8,
      totalSamples: 960_000,
    });
    expect((await audio.normalize(bytes(flac))).meta).toEqual({
      sampleRate: 48_000,
      channels: 8,
      durationSeconds: 20,
    });
  });
});
