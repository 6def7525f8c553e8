/**
 * The media corpus through the adapters' edge faces, inside workerd: every file, declared as a client would declare
 * it, is accepted (with the bytes it sends on normalising to themselves) or refused with the status, problem code and
 * detail its manifest entry promises — never anything else thrown.
 */
import { describe, expect, it } from 'vitest';
import { audio } from '../../adapters/audio/edge.ts';
import { image } from '../../adapters/image/edge.ts';
import { inputErrorOf } from '../../adapters/shared/testing.ts';
import type { RawInput } from '../../adapters/types.ts';
import { video } from '../../adapters/video/edge.ts';
import { mediaCorpus, refusalOf, type CorpusFile } from '../support/media-corpus.ts';

const adapters = { audio, image, video };
const corpus = mediaCorpus();

function inputOf(file: CorpusFile): Extract<RawInput, { kind: 'bytes' }> {
  return { kind: 'bytes', bytes: file.bytes, declaredType: file.type };
}

describe('the media corpus', () => {
  it('holds at least 30 small files written by at least 6 tools', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
    expect(new Set(corpus.map((file) => file.tool.split(' ')[0])).size).toBeGreaterThanOrEqual(6);
    // Sixteen short videos (about 400 KB) beside the audio and images.
    expect(corpus.reduce((sum, file) => sum + file.bytes.length, 0)).toBeLessThan(1.5 * 1024 * 1024);
  });

  it('holds the videos real tools write: every container, codec, no audio, VFR, rotation, a browser recording', () => {
    const videos = corpus.filter((file) => file.modality === 'video' && file.expect.status === 200);
    const whats = videos.map((file) => `${file.file} ${file.what}`).join('\n');
    for (const needed of [
      'H.264',
      'VP9',
      'VP8',
      'H.265',
      'AV1',
      'Matroska',
      'no audio',
      'variable frame rate',
    ])
      expect(whats).toContain(needed);
    expect(whats).toMatch(/rotate90\.mov/);
    expect(videos.some((file) => file.tool.startsWith('Chromium'))).toBe(true);
  });
});

describe('the media corpus at the edge', () => {
  it('holds a recording to the container it claims: WebM declared as MP4 and the reverse are type mismatches', async () => {
    const named = (name: string) => corpus.find((file) => file.file.endsWith(name));
    const webm = named('webm-chromium-mediarecorder-opus.webm');
    const mp4 = named('mp4-chromium-mediarecorder-opus.m4a');
    for (const [file, declared] of [
      [webm, 'audio/mp4'],
      [mp4, 'audio/webm'],
    ] as const) {
      if (!file) throw new Error('the Chromium recordings are missing from the corpus');
      const error = await inputErrorOf(() => audio.normalize({ ...inputOf(file), declaredType: declared }));
      expect(error.code).toBe('type-mismatch');
    }
  });

  it.each(corpus.map((file) => [file.file, file] as const))('%s', async (_, file) => {
    const adapter = adapters[file.modality];
    const refusal = refusalOf(file);
    if (refusal?.at === 'edge') {
      const error = await inputErrorOf(() => adapter.normalize(inputOf(file)));
      expect({ status: error.status, code: error.code }).toEqual({
        status: refusal.status,
        code: refusal.code,
      });
      expect(error.message).toContain(refusal.detail);
      return;
    }
    const result = await adapter.normalize(inputOf(file));
    expect(result.modality).toBe(file.modality);
    const again = await adapter.normalize({
      kind: 'bytes',
      bytes: result.bytes,
      declaredType: result.mimeType,
    });
    expect(again).toEqual(result);
  });
});
