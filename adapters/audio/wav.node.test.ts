import { describe, expect, it } from 'vitest';
import { encodeWav, sine } from './fixtures/wav.ts';
import { parseWav, readMono } from './wav.ts';

/** The same 16-bit samples re-encoded at another width or as floats (little-endian, interleaved). */
function encoded(samples: Int16Array, bits: number, float: boolean): Uint8Array {
  const view = new DataView(new ArrayBuffer((samples.length * bits) / 8));
  samples.forEach((value, i) => {
    if (float && bits === 32) view.setFloat32(i * 4, value / 32768, true);
    else if (float) view.setFloat64(i * 8, value / 32768, true);
    else if (bits === 8) view.setUint8(i, (value >> 8) + 128);
    else if (bits === 24) {
      view.setUint8(i * 3, 0x5a);
      view.setInt16(i * 3 + 1, value, true);
    } else view.setInt32(i * 4, value * 65536 + 0x1234, true);
  });
  return new Uint8Array(view.buffer);
}

describe('WAV sample reading', () => {
  const stereo = sine(440, 16_000, 0.05, 12_000, 2);
  const reference = readMono(
    encodeWav({ sampleRate: 16_000, channels: 2, data: stereo }),
    parseWav(encodeWav({ sampleRate: 16_000, channels: 2, data: stereo })),
  );

  it.each([
    ['8-bit PCM', 8, false, 256],
    ['24-bit PCM', 24, false, 1],
    ['32-bit PCM', 32, false, 1],
    ['32-bit float', 32, true, 0.01],
    ['64-bit float', 64, true, 0.01],
    ['extensible 24-bit PCM', 24, false, 1],
  ])('reads %s at int16 scale, mixed down to mono', (name, bits, float, tolerance) => {
    const wav = encodeWav({
      sampleRate: 16_000,
      channels: 2,
      bitsPerSample: bits,
      ...(name.startsWith('extensible')
        ? { formatTag: 0xfffe, subFormat: 1 }
        : float
          ? { formatTag: 3 }
          : {}),
      data: encoded(stereo, bits, float),
    });
    const mono = readMono(wav, parseWav(wav));
    expect(mono.length).toBe(reference.length);
    const worst = Math.max(...mono.map((value, i) => Math.abs(value - (reference[i] ?? 0))));
    expect(worst).toBeLessThanOrEqual(tolerance);
    expect(Math.max(...mono)).toBeGreaterThan(11_000);
  });

  it('averages six channels', () => {
    const frames = Int16Array.from({ length: 6 * 4 }, (_, i) => (i % 6) * 1000);
    const wav = encodeWav({ sampleRate: 8000, channels: 6, data: frames });
    expect(Array.from(readMono(wav, parseWav(wav)))).toEqual([2500, 2500, 2500, 2500]);
  });
});
