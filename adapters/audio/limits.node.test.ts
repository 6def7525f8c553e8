/**
 * The backend face holds FLAC and Ogg Opus to the header limits before a decoder runs, for clients that call the
 * backend directly: a patched header is refused as over the limit, not decoded (it would decode as malformed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputErrorOf } from '../shared/testing.ts';
import { decodeAudio } from './decode.node.ts';
import { patchFlac, patchOpusChannels } from './fixtures/patch.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, 'fixtures', name)));

describe('audio decoding limits', () => {
  it('refuses a FLAC over the rate or decoded-size limit before decoding it', async () => {
    const flac = fixture('tone-16k-mono.flac');
    const fast = await inputErrorOf(() => decodeAudio(patchFlac(flac, { sampleRate: 384_000 })));
    expect([fast.code, fast.message]).toEqual([
      'over-limit',
      'audio has a sample rate of 384000 Hz; the limit is 8000–192000 Hz',
    ]);
    const wide = patchFlac(flac, { sampleRate: 192_000, channels: 8, totalSamples: 1_920_000 });
    expect((await inputErrorOf(() => decodeAudio(wide))).message).toMatch(/the limit is 8388608 samples/);
  });

  it('refuses an Ogg Opus stream declaring 64 channels before decoding it', async () => {
    const opus = patchOpusChannels(fixture('tone-16k-mono.opus'), 64);
    expect((await inputErrorOf(() => decodeAudio(opus))).message).toBe(
      'audio has 64 channels; the limit is 1–32 channels',
    );
  });

  it('still decodes the unpatched files', async () => {
    expect((await decodeAudio(fixture('tone-44k-stereo.flac'))).sampleRate).toBe(44_100);
    expect((await decodeAudio(fixture('tone-16k-mono.opus'))).samples.length).toBeGreaterThan(40_000);
  });
});
