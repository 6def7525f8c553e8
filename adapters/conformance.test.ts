/// <reference types="vite/client" />
import greenGif from './image/fixtures/green-8x8.gif?inline';
import greenWebp from './image/fixtures/green-8x8.webp?inline';
import rampJpeg from './image/fixtures/ramp-64x48.jpg?inline';
import redPng from './image/fixtures/red-64x48.png?inline';
import flacMono from './audio/fixtures/tone-16k-mono.flac?inline';
import mp3Vbr from './audio/fixtures/tone-44k-stereo-vbr.mp3?inline';
import opusStereo from './audio/fixtures/tone-44k-stereo.opus?inline';
import { encodeWav, sine } from './audio/fixtures/wav.ts';
import { describeAdapterConformance } from './conformance.case.ts';
import { html } from './html/edge.ts';
import { builtinAdapters } from './registry.ts';
import type { RawInput } from './types.ts';
import mp4Video from '../test/fixtures/media/video/mp4-ffmpeg-h264-aac.mp4?inline';
import webmVideo from '../test/fixtures/media/video/webm-chromium-mediarecorder-vp8-opus.webm?inline';

function bytesOf(dataUrl: string): RawInput {
  const bytes = Uint8Array.from(atob(dataUrl.slice(dataUrl.indexOf(',') + 1)), (char) => char.charCodeAt(0));
  return { kind: 'bytes', bytes };
}

const samples: Record<string, RawInput[]> = {
  text: [
    { kind: 'text', value: ' Hello, wörld! 😀 ' },
    { kind: 'bytes', bytes: new TextEncoder().encode('caf\u0065\u0301') },
  ],
  image: [bytesOf(redPng), bytesOf(rampJpeg), bytesOf(greenWebp), bytesOf(greenGif)],
  audio: [
    { kind: 'bytes', bytes: encodeWav({ sampleRate: 16_000, data: sine(440, 16_000, 0.05) }) },
    {
      kind: 'bytes',
      bytes: encodeWav({ sampleRate: 44_100, channels: 2, data: sine(440, 44_100, 0.02, 9000, 2) }),
    },
    bytesOf(flacMono),
    bytesOf(mp3Vbr),
    bytesOf(opusStereo),
  ],
};

const page = '<!doctype html><title>Example</title><p>Hello, <b>wörld</b> &amp; friends 😀</p>';
samples.html = [
  { kind: 'text', value: page },
  { kind: 'bytes', bytes: new TextEncoder().encode(page) },
];

samples.video = [bytesOf(mp4Video), bytesOf(webmVideo)];

// The html adapter is the worked third-party example: it runs the same suite as the built-ins.
for (const adapter of [...builtinAdapters, html])
  describeAdapterConformance(adapter, samples[adapter.modality] ?? []);
