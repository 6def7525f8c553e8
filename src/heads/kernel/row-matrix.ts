/**
 * @module
 * A matrix times a vector, the step of every embedding head whose cost grows with the task's labels (one dot
 * product per label), run by `dot-rows.wasm` (WebAssembly SIMD) over rows in a WebAssembly memory of their own.
 *
 * The product is bound by memory: at 5,000 labels × 256 dimensions a classify reads 5 MB of float32 rows, which no
 * core's cache holds between requests. So each row is kept as int16 with one float64 scale, its largest magnitude
 * ÷ 32,767: 2.5 MB, and each value within half a step (1/65,534 of the row's largest) of its float32. For the unit
 * rows of the heads (centroids, prompts) that is about 10⁻⁶ on a cosine, the size of float32 rounding in the sums.
 * Workers cannot compile WebAssembly at run time, so the module is imported (wrangler and the workerd test pool load
 * `.wasm` imports as compiled modules). The memory goes with the matrix.
 */
import dotRowsModule from './dot-rows.wasm';

interface DotRows {
  dotRows(
    rows: number,
    count: number,
    dim: number,
    scales: number,
    query: number,
    scale: number,
    out: number,
  ): void;
}

const page = 64 * 1024;
const steps = 32_767;
/** The kernel reads eight int16 at a time. */
const lanes = 8;

const alignUp = (bytes: number) => Math.ceil(bytes / 16) * 16;

export class RowMatrix {
  /** Each row padded with zeros to a multiple of {@link lanes}. */
  readonly #padded: number;
  readonly #rows: Int16Array;
  readonly #scales: Float64Array;
  readonly #query: Float32Array;
  readonly #out: Float64Array;
  readonly #kernel: DotRows;
  /** Byte offsets of the rows, scales, query and sums in the memory, as the kernel takes them. */
  readonly #scalesAt: number;
  readonly #queryAt: number;
  readonly #outAt: number;

  constructor(
    readonly count: number,
    readonly dim: number,
  ) {
    this.#padded = Math.ceil(dim / lanes) * lanes;
    const rowBytes = count * this.#padded * 2;
    const scaleBytes = alignUp(count * 8);
    const queryBytes = this.#padded * 4;
    const memory = new WebAssembly.Memory({
      initial: Math.max(1, Math.ceil((rowBytes + scaleBytes + queryBytes + count * 8) / page)),
    });
    this.#scalesAt = rowBytes;
    this.#queryAt = rowBytes + scaleBytes;
    this.#outAt = this.#queryAt + queryBytes;
    this.#rows = new Int16Array(memory.buffer, 0, count * this.#padded);
    this.#scales = new Float64Array(memory.buffer, this.#scalesAt, count);
    this.#query = new Float32Array(memory.buffer, this.#queryAt, this.#padded);
    this.#out = new Float64Array(memory.buffer, this.#outAt, count);
    const instance = new WebAssembly.Instance(dotRowsModule, { env: { memory } });
    this.#kernel = instance.exports as unknown as DotRows;
  }

  /** Row `y` becomes `values` (of length `dim`, finite), each multiplied by `scale`. */
  setRow(y: number, values: ArrayLike<number>, scale = 1): void {
    let largest = 0;
    for (let i = 0; i < this.dim; i++) largest = Math.max(largest, Math.abs((values[i] ?? 0) * scale));
    if (!Number.isFinite(largest)) throw new RangeError(`row ${y} has a value that is not a finite number`);
    const step = largest / steps;
    this.#scales[y] = step;
    const at = y * this.#padded;
    for (let i = 0; i < this.dim; i++)
      this.#rows[at + i] = step > 0 ? Math.round(((values[i] ?? 0) * scale) / step) : 0;
  }

  /** `rows · query`, one sum per row; the array is the matrix's own, overwritten by the next call. */
  times(query: ArrayLike<number>): Float64Array {
    if (query.length !== this.dim)
      throw new RangeError(`a ${this.dim}-vector was expected, not ${query.length}`);
    // Scaled to a largest magnitude of 1 for its float32 copy, so that no value over- or underflows there.
    let largest = 0;
    for (let i = 0; i < this.dim; i++) largest = Math.max(largest, Math.abs(query[i] ?? 0));
    const scale = largest > 0 ? largest : 1;
    for (let i = 0; i < this.dim; i++) this.#query[i] = (query[i] ?? 0) / scale;
    this.#kernel.dotRows(0, this.count, this.#padded, this.#scalesAt, this.#queryAt, scale, this.#outAt);
    return this.#out;
  }

  /** The bytes the matrix holds (its memory, in whole pages). */
  get bytes(): number {
    return this.#rows.buffer.byteLength;
  }
}
