import { describe, expect, it } from 'vitest';
import { builtinAdapters } from './registry.ts';

describe('registry', () => {
  it('registers text, image, audio, the html example and video once each, with their default models', () => {
    expect(builtinAdapters.map((adapter) => [adapter.modality, adapter.defaultModel])).toEqual([
      ['text', 'use-lite'],
      ['image', 'mobilenetv2-int8'],
      ['audio', 'speech-embedding'],
      ['html', 'html-use-lite'],
      ['video', 'video-frames-mobilenetv2-int8'],
    ]);
    const video = builtinAdapters[4];
    expect([video.partsOnly, video.parts]).toEqual([
      true,
      {
        frames: { defaultModel: 'video-frames-mobilenetv2-int8' },
        audio: { defaultModel: 'video-audio-speech-embedding' },
        text: { defaultModel: 'video-text-use-lite', borrows: 'text' },
      },
    ]);
  });
});
