import { describe, expect, it } from 'vitest';
import { inputErrorOf } from '../shared/testing.ts';
import { decodeAudio } from './decode.node.ts';
import { encodeWav, sine } from './fixtures/wav.ts';
import { canonicalWav } from './wav.ts';

/** G.711 µ-law encoding of one int16 sample (ITU-T G.711, as sox writes it). */
function muLaw(value: number): number {
  const sign = value < 0 ? 0x80 : 0;
  const magnitude = Math.min(Math.abs(value), 32_635) + 0x84;
  const exponent = Math.floor(Math.log2(magnitude)) - 7;
  return ~(sign | (exponent << 4) | ((magnitude >> (exponent + 3)) & 0x0f)) & 0xff;
}

/** The same 16-bit samples re-encoded at another width, as floats or µ-law (little-endian, interleaved). */
function encoded(samples: Int16Array, bits: number, kind: 'pcm' | 'float' | 'mulaw'): Uint8Array {
  const view = new DataView(new ArrayBuffer((samples.length * bits) / 8));
  samples.forEach((value, i) => {
    if (kind === 'mulaw') view.setUint8(i, muLaw(value));
    else if (kind === 'float' && bits === 32) view.setFloat32(i * 4, value / 32768, true);
    else if (kind === 'float') view.setFloat64(i * 8, value / 32768, true);
    else if (bits === 8) view.setUint8(i, (value >> 8) + 128);
    else if (bits === 24) {
      view.setUint8(i * 3, 0x5a);
      view.setInt16(i * 3 + 1, value, true);
    } else view.setInt32(i * 4, value * 65536 + 0x1234, true);
  });
  return new Uint8Array(view.buffer);
}

describe('WAV decoding on the backend', () => {
  const stereo = sine(440, 16_000, 0.05, 12_000, 2);
  const reference = Array.from(stereo.filter((_, i) => i % 2 === 0));

  it.each([
    ['8-bit PCM', 8, 'pcm', {}, 256],
    ['24-bit PCM', 24, 'pcm', {}, 1],
    ['32-bit PCM', 32, 'pcm', {}, 1],
    ['32-bit float', 32, 'float', { formatTag: 3 }, 0.01],
    ['64-bit float', 64, 'float', { formatTag: 3 }, 0.01],
    ['extensible 24-bit PCM', 24, 'pcm', { formatTag: 0xfffe, subFormat: 1 }, 1],
    ['8-bit µ-law', 8, 'mulaw', { formatTag: 7 }, 1100],
  ] as const)('reads %s at int16 scale, mixed down to mono', async (_, bits, kind, tags, tolerance) => {
    const wav = encodeWav({
      sampleRate: 16_000,
      channels: 2,
      bitsPerSample: bits,
      ...tags,
      data: encoded(stereo, bits, kind),
    });
    const { sampleRate, samples } = await decodeAudio(wav);
    expect(sampleRate).toBe(16_000);
    expect(samples).toHaveLength(reference.length);
    const worst = Math.max(...Array.from(samples, (value, i) => Math.abs(value - (reference[i] ?? 0))));
    expect(worst).toBeLessThanOrEqual(tolerance);
    expect(Math.max(...samples)).toBeGreaterThan(11_000);
  });

  it('averages six channels', async () => {
    const frames = Int16Array.from({ length: 6 * 4 }, (_, i) => (i % 6) * 1000);
    const { samples } = await decodeAudio(encodeWav({ sampleRate: 8000, channels: 6, data: frames }));
    expect(Array.from(samples)).toEqual([2500, 2500, 2500, 2500]);
  });

  it('reads a placeholder-sized data chunk to the end of the file', async () => {
    const data = sine(300, 16_000, 0.2);
    const wav = encodeWav({ sampleRate: 16_000, data, declaredDataSize: 0x7fff_f000 });
    expect((await decodeAudio(wav)).samples).toEqual(Float32Array.from(data));
  });

  it('refuses a block align that does not fit the format before anything reads the samples', async () => {
    const wav = encodeWav({ sampleRate: 16_000, data: sine(300, 16_000, 0.1) });
    new DataView(wav.buffer).setUint16(32, 4000, true);
    expect((await inputErrorOf(() => decodeAudio(wav))).message).toBe(
      'WAV block align is 4000 for 1 × 16 bits',
    );
  });
});

describe('canonicalWav', () => {
  const list = new TextEncoder().encode('INFOISFT\u0005\u0000\u0000\u0000lavf');
  const tagged = encodeWav({ sampleRate: 8000, data: sine(300, 8000, 0.1), extraChunks: [['LIST', list]] });

  it('renames metadata chunks JUNK in a copy, leaving the rest byte for byte', () => {
    const canonical = canonicalWav(tagged);
    expect(canonical).not.toBe(tagged);
    const at = tagged.findIndex((_, i) => String.fromCharCode(...tagged.subarray(i, i + 4)) === 'LIST');
    expect(String.fromCharCode(...canonical.subarray(at, at + 4))).toBe('JUNK');
    expect([...canonical.subarray(0, at), ...canonical.subarray(at + 4)]).toEqual([
      ...tagged.subarray(0, at),
      ...tagged.subarray(at + 4),
    ]);
    expect(canonicalWav(canonical)).toBe(canonical);
  });

  it('keeps an RF64 data size, which its ds64 chunk gives', () => {
    const rf64 = encodeWav({ sampleRate: 8000, data: sine(300, 8000, 0.1), declaredDataSize: 0xffff_ffff });
    rf64.set(new TextEncoder().encode('RF64'), 0);
    expect(canonicalWav(rf64)).toBe(rf64);
  });
});
