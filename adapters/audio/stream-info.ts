/**
 * @module
 * What the edge reads from a compressed audio file's headers, without decoding it.
 */

export interface StreamInfo {
  readonly format: 'flac' | 'mp3' | 'opus';
  readonly sampleRate: number;
  readonly channels: number;
  /** From the headers; for an MP3 without a Xing/VBRI header, estimated from its first frame's bit rate. */
  readonly durationSeconds: number;
}
