/**
 * @module
 * Ogg Opus at the edge: the first page must carry `OpusHead` (Ogg Vorbis and Ogg FLAC are refused by name), and the
 * duration is the granule position of the last page (48 kHz samples) minus the pre-skip, found by scanning back
 * from the end for the last `OggS` capture pattern.
 */
import { AdapterInputError } from '../errors.ts';
import { fourCC } from '../shared/bytes.ts';
import type { StreamInfo } from './stream-info.ts';

/** Opus granule positions always count 48 kHz samples, whatever the input rate. */
const granuleRate = 48_000;

export function isOgg(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && fourCC(bytes, 0) === 'OggS';
}

function lastGranule(bytes: Uint8Array, view: DataView): number {
  for (let at = bytes.length - 27; at >= 0; at--) {
    if (bytes[at] === 0x4f && fourCC(bytes, at) === 'OggS') {
      const granule = view.getBigInt64(at + 6, true);
      if (granule >= 0n) return Number(granule);
    }
  }
  throw new AdapterInputError('malformed', 'Ogg has no page with a granule position');
}

export function parseOggOpus(bytes: Uint8Array): StreamInfo {
  if (bytes.length < 47) throw new AdapterInputError('malformed', 'Ogg is cut short before its first packet');
  const segments = bytes[26] ?? 0;
  const packet = 27 + segments;
  if (packet + 19 > bytes.length)
    throw new AdapterInputError('malformed', 'Ogg is cut short in its first page');
  const head = String.fromCharCode(...bytes.subarray(packet, packet + 8));
  if (head !== 'OpusHead') {
    const codec = head.includes('vorbis') ? 'Vorbis' : head.includes('FLAC') ? 'FLAC' : 'an unknown codec';
    throw new AdapterInputError('unsupported-type', `Ogg carries ${codec}; supported: Ogg Opus`, {
      found: `audio/ogg (${codec})`,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const channels = bytes[packet + 9] ?? 0;
  const preSkip = view.getUint16(packet + 10, true);
  if (channels === 0) throw new AdapterInputError('malformed', 'OpusHead gives 0 channels');
  const samples = lastGranule(bytes, view) - preSkip;
  if (samples <= 0) throw new AdapterInputError('empty', 'Ogg Opus has no samples');
  return { format: 'opus', sampleRate: granuleRate, channels, durationSeconds: samples / granuleRate };
}
