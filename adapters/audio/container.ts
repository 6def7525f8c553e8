/**
 * @module
 * Audio in containers — WAV, WebM/Matroska (what MediaRecorder writes in Chrome and Firefox) and MP4 — read by
 * mediabunny, a maintained pure-TypeScript demuxer that runs in workerd and in Node alike, so both faces read the
 * same facts: codec, rate, channels and the duration from the container (WAV: the data really there; WebM from
 * MediaRecorder, which writes no Duration: the last block's timestamp). Opus and PCM (integer, float, µ-law, A-law)
 * are decoded on the backend; any other codec (AAC in MP4 as Safari records it, Vorbis, …) is refused by name.
 */
import {
  BufferSource,
  Input,
  MATROSKA,
  MP4,
  PCM_AUDIO_CODECS,
  QTFF,
  WAVE,
  WEBM,
  type InputAudioTrack,
  type InputFormat,
} from 'mediabunny';
import { AdapterInputError, isAdapterInputError } from '../errors.ts';
import { audioLimits } from './limits.ts';

export type ContainerKind = 'wav' | 'webm' | 'mp4';

const inputFormats: Readonly<Record<ContainerKind, InputFormat[]>> = {
  wav: [WAVE],
  webm: [WEBM, MATROSKA],
  mp4: [MP4, QTFF],
};
const labels: Readonly<Record<ContainerKind, string>> = { wav: 'WAV', webm: 'WebM', mp4: 'MP4' };

const decodableCodecs: readonly string[] = ['opus', ...PCM_AUDIO_CODECS];
const { maxChannels, minSampleRate: minRate, maxSampleRate: maxRate } = audioLimits;
const supported = `Opus or PCM (integer, float, µ-law, A-law), 1–${maxChannels} channels, ${minRate / 1000}–${maxRate / 1000} kHz`;

export interface ContainerAudio {
  readonly input: Input;
  readonly track: InputAudioTrack;
  readonly sampleRate: number;
  readonly channels: number;
  readonly durationSeconds: number;
}

function unsupported(kind: ContainerKind, found: string): AdapterInputError {
  return new AdapterInputError(
    'unsupported-type',
    `${labels[kind]} audio is ${found}; supported: ${supported}`,
    { found: `${labels[kind]} ${found}` },
  );
}

async function checkedTrack(input: Input, kind: ContainerKind): Promise<Omit<ContainerAudio, 'input'>> {
  const track = await input.getPrimaryAudioTrack();
  if (!track) {
    // No track at all is a file cut before its track headers (an MP4 whose moov box came last).
    if ((await input.getTracks()).length === 0) {
      throw new AdapterInputError('malformed', `${labels[kind]} has no tracks: it is cut short or broken`);
    }
    throw new AdapterInputError('unsupported-type', `${labels[kind]} has no audio track`);
  }
  const { codec, numberOfChannels: channels, sampleRate } = track;
  if (codec === null || !decodableCodecs.includes(codec))
    throw unsupported(kind, codec ?? 'an unknown codec');
  if (channels < 1 || channels > maxChannels) throw unsupported(kind, `${channels} channels`);
  if (sampleRate < minRate || sampleRate > maxRate) throw unsupported(kind, `${sampleRate} Hz`);
  const durationSeconds = await input.computeDuration([track]);
  if (!(durationSeconds > 0)) throw new AdapterInputError('empty', `${labels[kind]} audio has no samples`);
  return { track, sampleRate, channels, durationSeconds };
}

/**
 * Opens the primary audio track of `bytes` and checks it; the caller disposes `input`. mediabunny's own errors on
 * broken bytes become `malformed`.
 */
export async function openContainer(bytes: Uint8Array, kind: ContainerKind): Promise<ContainerAudio> {
  const input = new Input({ source: new BufferSource(bytes), formats: inputFormats[kind] });
  try {
    return { input, ...(await checkedTrack(input, kind)) };
  } catch (error) {
    input.dispose();
    if (isAdapterInputError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    // mediabunny names the codecs and sample widths it cannot decode ("Unsupported WAVE codec (format tag 17)…").
    if (reason.startsWith('Unsupported')) {
      throw new AdapterInputError('unsupported-type', `${labels[kind]}: ${reason}`, { found: reason });
    }
    throw new AdapterInputError('malformed', `${labels[kind]} could not be read: ${reason}`);
  }
}

/** The header facts of a container file, for the edge: nothing is decoded. */
export async function containerFacts(
  bytes: Uint8Array,
  kind: ContainerKind,
): Promise<{ sampleRate: number; channels: number; durationSeconds: number }> {
  const { input, sampleRate, channels, durationSeconds } = await openContainer(bytes, kind);
  input.dispose();
  return { sampleRate, channels, durationSeconds };
}
