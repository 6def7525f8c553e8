/**
 * @module
 * Universal Sentence Encoder lite's tokenisation: an exact port of the SentencePiece (unigram) tokenizer of
 * `@energetic-ai/embeddings` 0.2.0 (itself TF.js-models' USE tokenizer), from the model's `vocab.json`
 * (`[piece, score]` pairs; the first six are reserved: id 0 is the unknown piece). Exact down to its quirks, which a
 * Hugging Face Unigram model would not reproduce:
 * - NFKC, then '▁' before the text and in place of each U+0020 only (tabs and newlines stay as they are);
 * - Viterbi over code points where a position with no piece starting there becomes id 0 with score 0, a score of
 *   `null` counts as 0, a best score of exactly 0 counts as "none yet", and ties go to the later candidate;
 * - the backtrace steps back by each piece's UTF-16 length, and runs of id 0 merge into one.
 * The model reads at most `max_tokens` (128) positions; cutting there is what its graph does with longer input.
 * A model served with this tokenisation names its vocabulary in the `sentencepiece` parameter of its config.
 */
import { readFile } from 'node:fs/promises';
import { AdapterInputError } from '../errors.ts';
import { integerParameter } from '../shared/parameters.ts';
import type { Feeds, PreprocessContext } from '../types.ts';
import { modelFileLoader } from './model-files.node.ts';

export type Vocabulary = readonly (readonly [piece: string, score: number | null])[];

/** Ids below this are reserved (unknown, `<s>`, `</s>`, three extra tokens) and never matched. */
const RESERVED = 6;
export const UNKNOWN_ID = 0;
const SPACE = '\u2581';

interface Piece {
  readonly id: number;
  readonly score: number;
  /** In code points. */
  readonly length: number;
}

class TrieNode {
  readonly children = new Map<string, TrieNode>();
  piece: Piece | undefined;
}

/** An edge of the lattice: `piece` spans code points [start, start + piece.length). */
interface Edge {
  readonly start: number;
  readonly piece: Piece;
}

function normalise(text: string): string {
  const normalised = text.normalize('NFKC');
  return normalised.length > 0 ? SPACE + normalised.replaceAll(' ', SPACE) : normalised;
}

export class SentencePieceTokenizer {
  private readonly root = new TrieNode();

  constructor(private readonly vocabulary: Vocabulary) {
    vocabulary.forEach(([text, score], id) => {
      if (id < RESERVED) return;
      let node = this.root;
      for (const symbol of text) {
        let child = node.children.get(symbol);
        if (!child) node.children.set(symbol, (child = new TrieNode()));
        node = child;
      }
      // A repeated piece keeps its last id and score, as the reference's trie does.
      if (node !== this.root) node.piece = { id, score: score ?? 0, length: [...text].length };
    });
  }

  /** The pieces that start at `start`, shortest first; none makes one unknown symbol of score 0. */
  private matches(symbols: readonly string[], start: number): Piece[] {
    const found: Piece[] = [];
    let node = this.root.children.get(symbols[start] ?? '');
    for (let at = start + 1; node; at += 1) {
      if (node.piece) found.push(node.piece);
      node = at < symbols.length ? node.children.get(symbols[at] ?? '') : undefined;
    }
    return found.length > 0 ? found : [{ id: UNKNOWN_ID, score: 0, length: 1 }];
  }

  /** The lattice's edges by end position, each list in ascending start order. */
  private lattice(symbols: readonly string[]): Edge[][] {
    const ending: Edge[][] = Array.from({ length: symbols.length + 1 }, () => []);
    for (let start = 0; start < symbols.length; start += 1) {
      for (const piece of this.matches(symbols, start)) ending[start + piece.length]?.push({ start, piece });
    }
    return ending;
  }

  /** The best piece id ending at each position (0 where none was chosen). */
  private viterbi(ending: readonly Edge[][]): number[] {
    const best = new Array<number>(ending.length).fill(0);
    const chosen = new Array<number>(ending.length).fill(UNKNOWN_ID);
    ending.forEach((edges, end) => {
      for (const { start, piece } of edges) {
        const score = piece.score + (best[start] ?? 0);
        const current = best[end] ?? 0;
        if (current === 0 || score >= current) {
          best[end] = score;
          chosen[end] = piece.id;
        }
      }
    });
    return chosen;
  }

  encode(text: string): number[] {
    const symbols = [...normalise(text)];
    const chosen = this.viterbi(this.lattice(symbols));
    const backwards: number[] = [];
    for (let at = symbols.length; at > 0;) {
      const id = chosen[at] ?? UNKNOWN_ID;
      if (!(id === UNKNOWN_ID && backwards.at(-1) === UNKNOWN_ID)) backwards.push(id);
      at -= this.vocabulary[id]?.[0].length ?? 1;
    }
    return backwards.reverse();
  }
}

function isVocabulary(value: unknown): value is Vocabulary {
  return (
    Array.isArray(value) &&
    value.length > RESERVED &&
    value.every(
      (entry) =>
        Array.isArray(entry) &&
        typeof entry[0] === 'string' &&
        (entry[1] === null || typeof entry[1] === 'number'),
    )
  );
}

/** Reads a `vocab.json` of `[piece, score]` pairs; anything else is an error naming the file. */
export async function readSentencePiece(path: string): Promise<SentencePieceTokenizer> {
  const vocabulary: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!isVocabulary(vocabulary)) throw new Error(`${path} is not a list of [piece, score] pairs`);
  return new SentencePieceTokenizer(vocabulary);
}

/** `input_ids` and `attention_mask` [1, n] for one text, cut at `maxTokens`; text with no pieces is refused. */
export function sentencePieceFeeds(
  tokenizer: SentencePieceTokenizer,
  text: string,
  maxTokens: number,
): Feeds {
  const ids = tokenizer.encode(text).slice(0, maxTokens);
  if (ids.length === 0) throw new AdapterInputError('empty', 'text is empty');
  const dims = [1, ids.length];
  return {
    input_ids: { type: 'int64', data: BigInt64Array.from(ids, (id) => BigInt(id)), dims },
    attention_mask: { type: 'int64', data: new BigInt64Array(ids.length).fill(1n), dims },
  };
}

const sentencePieceFor = modelFileLoader('sentencepiece', readSentencePiece);

/** A served model's inputs: its `sentencepiece` vocabulary (parsed once), cut at its `max_tokens`. */
export async function sentencePieceModelFeeds(text: string, context: PreprocessContext): Promise<Feeds> {
  const maxTokens = integerParameter(context, 'max_tokens', 1);
  return sentencePieceFeeds(await sentencePieceFor(context), text, maxTokens);
}
