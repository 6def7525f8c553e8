/**
 * @module
 * Band-limited resampling by windowed-sinc interpolation (Smith's bandlimited interpolation): each output sample is
 * the input convolved with a Kaiser-windowed sinc low-pass whose cutoff sits just under the lower of the two Nyquist
 * frequencies, so downsampling does not alias and upsampling does not image. The kernel is tabulated once and read
 * with linear interpolation. Pure; used by the audio adapter's backend face.
 *
 * Own code rather than wavefile's `toSampleRate(…, {method: 'sinc', LPF: true})`: that one is as clean (an IIR
 * low-pass run forwards and backwards, then sinc interpolation) but took 6.7 s for a 60 s clip on our 2-core
 * machines, against well under a second here.
 */

/** Zero crossings of the sinc on each side of the kernel's centre: the kernel's length and so its sharpness. */
const zeroCrossings = 24;
/** Kaiser β: about 80 dB of stop-band attenuation. */
const kaiserBeta = 8;
/** The cutoff as a fraction of the lower Nyquist frequency, leaving room for the transition band (≈ 1.5 kHz at 16 kHz). */
const cutoffFraction = 0.91;
/** Table entries per zero crossing; linear interpolation between them errs by well under −100 dB. */
const density = 512;

/** The modified Bessel function of the first kind, order 0 (power series; converges fast for the β used). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; term > 1e-12 * sum; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

/** sinc(u) · kaiser(u / zeroCrossings) for u = i / density, with a zero entry past the end for interpolation. */
function kernelTable(): Float64Array {
  const size = zeroCrossings * density;
  const table = new Float64Array(size + 2);
  const norm = besselI0(kaiserBeta);
  for (let i = 0; i <= size; i++) {
    const u = i / density;
    const sinc = i === 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
    table[i] = (sinc * besselI0(kaiserBeta * Math.sqrt(Math.max(0, 1 - (u / zeroCrossings) ** 2)))) / norm;
  }
  return table;
}

const kernel = kernelTable();

/** Σ input[n] · kernel(|t − n|) over the kernel's support, `scale` turning a distance in samples into a table index. */
function convolveAt(input: Float32Array, t: number, halfWidth: number, scale: number): number {
  let sum = 0;
  // Left then right of t, so that the table position just steps by `scale` (no abs, no multiply per tap).
  const first = Math.max(0, Math.ceil(t - halfWidth));
  for (let n = first, position = (t - first) * scale; n <= t; n++, position -= scale) {
    const index = position | 0;
    const below = kernel[index] ?? 0;
    sum += (input[n] ?? 0) * (below + (position - index) * ((kernel[index + 1] ?? 0) - below));
  }
  const last = Math.min(input.length - 1, Math.floor(t + halfWidth));
  for (let n = Math.floor(t) + 1, position = (n - t) * scale; n <= last; n++, position += scale) {
    const index = position | 0;
    const below = kernel[index] ?? 0;
    sum += (input[n] ?? 0) * (below + (position - index) * ((kernel[index + 1] ?? 0) - below));
  }
  return sum;
}

/** Resamples `input` from `fromRate` to `toRate` (Hz); the output has round(n · toRate / fromRate) samples. */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return input.slice();
  // Twice the low-pass cutoff in cycles per input sample: the sinc's argument advances by this per input sample.
  const bandwidth = cutoffFraction * Math.min(1, toRate / fromRate);
  const halfWidth = zeroCrossings / bandwidth;
  const output = new Float32Array(Math.round((input.length * toRate) / fromRate));
  for (let j = 0; j < output.length; j++) {
    output[j] = convolveAt(input, (j * fromRate) / toRate, halfWidth, bandwidth * density) * bandwidth;
  }
  return output;
}
