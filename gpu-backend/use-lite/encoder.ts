/**
 * @module
 * The converted USE-lite run in-process on onnxruntime, for build steps and measurements that need text vectors
 * outside the server (e.g. the class-name embeddings of a ConSE model at `npm run models`): tokenise with the
 * exact SentencePiece port, cut at the model's 128 positions, pad a batch with mask 0, run, one vector per text.
 */
import * as ort from 'onnxruntime-node';
import { readSentencePiece, type SentencePieceTokenizer } from '../../adapters/text/sentencepiece.node.ts';
import { convertUseLite, USE_LITE, useLiteFiles, type ConvertedUseLite } from './convert.ts';

export class UseLiteEncoder {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: SentencePieceTokenizer,
    /** Token positions the model reads (128): `tokens` cuts there, the graph ignores any beyond. */
    readonly maxTokens: number,
  ) {}

  /**
   * Opens a session with `threads` threads on the installed model package's graph, converted here (≈ 0.3 s)
   * unless the caller has it converted already.
   */
  static async create(threads = 1, converted?: ConvertedUseLite): Promise<UseLiteEncoder> {
    const files = useLiteFiles();
    const { onnx, maxTokens } = converted ?? (await convertUseLite(files.modelJson));
    const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: threads });
    return new UseLiteEncoder(session, await readSentencePiece(files.vocabulary), maxTokens);
  }

  /** Token ids of one text as the model reads them (at most 128). */
  tokens(text: string): number[] {
    return this.tokenizer.encode(text).slice(0, this.maxTokens);
  }

  /** Row-major [texts.length, 512] unit vectors, run `batchSize` texts at a time. */
  async embed(texts: readonly string[], batchSize = 32): Promise<Float32Array> {
    const out = new Float32Array(texts.length * USE_LITE.dimension);
    for (let start = 0; start < texts.length; start += batchSize) {
      const rows = texts.slice(start, start + batchSize).map((text) => this.tokens(text));
      out.set(await this.embedTokens(rows), start * USE_LITE.dimension);
    }
    return out;
  }

  /** Rows of token ids as one batch, zero-padded with mask 0: row-major [rows.length, 512]. */
  async embedTokens(rows: readonly (readonly number[])[]): Promise<Float32Array> {
    const width = Math.max(1, ...rows.map((row) => row.length));
    const ids = new BigInt64Array(rows.length * width);
    const mask = new BigInt64Array(rows.length * width);
    rows.forEach((row, r) =>
      row.forEach((id, at) => {
        ids[r * width + at] = BigInt(id);
        mask[r * width + at] = 1n;
      }),
    );
    const dims = [rows.length, width];
    const result = await this.session.run({
      input_ids: new ort.Tensor('int64', ids, dims),
      attention_mask: new ort.Tensor('int64', mask, dims),
    });
    return result.embedding?.data as Float32Array;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
