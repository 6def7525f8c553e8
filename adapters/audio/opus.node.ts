/**
 * @module
 * Opus packets from WebM/Matroska and MP4 decoded by `opus-decoder` (the raw-frame decoder of the wasm-audio-decoders
 * family that `ogg-opus-decoder` is built on), plugged into mediabunny as its decoder for `opus`: Node has no
 * WebCodecs, which mediabunny would otherwise use. The channel layout and pre-skip come from the track's OpusHead.
 */
import {
  AudioSample,
  CustomAudioDecoder,
  registerDecoder,
  type AudioCodec,
  type EncodedPacket,
} from 'mediabunny';
import { OpusDecoder } from 'opus-decoder';

interface OpusSettings {
  channels: number;
  preSkip?: number;
  streamCount?: number;
  coupledStreamCount?: number;
  channelMappingTable?: number[];
}

/** Decoder settings from an OpusHead (RFC 7845 §5.1); mapping family 0 (mono, stereo) needs no table. */
function settingsOf(head: Uint8Array | undefined, channels: number): OpusSettings {
  if (!head || head.length < 19) return { channels: Math.min(channels, 2) };
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const settings = { channels: head[9] ?? channels, preSkip: view.getUint16(10, true) };
  if ((head[18] ?? 0) === 0 || head.length < 21 + settings.channels) return settings;
  return {
    ...settings,
    streamCount: head[19] ?? 1,
    coupledStreamCount: head[20] ?? 0,
    channelMappingTable: Array.from(head.subarray(21, 21 + settings.channels)),
  };
}

/** The decoder config's `description` (the OpusHead), whichever buffer type carries it. */
function bytesOf(description: unknown): Uint8Array | undefined {
  if (ArrayBuffer.isView(description)) {
    return new Uint8Array(description.buffer, description.byteOffset, description.byteLength);
  }
  return description instanceof ArrayBuffer ? new Uint8Array(description) : undefined;
}

class OpusPacketDecoder extends CustomAudioDecoder {
  private decoder: OpusDecoder | undefined;

  static override supports(codec: AudioCodec): boolean {
    return codec === 'opus';
  }

  override async init(): Promise<void> {
    const decoder = new OpusDecoder(
      settingsOf(bytesOf(this.config.description), this.config.numberOfChannels),
    );
    await decoder.ready;
    this.decoder = decoder;
  }

  override decode(packet: EncodedPacket): void {
    if (!this.decoder) throw new Error('the Opus decoder is not ready');
    const { channelData, samplesDecoded, sampleRate } = this.decoder.decodeFrame(packet.data);
    if (samplesDecoded === 0) return;
    const planar = new Float32Array(samplesDecoded * channelData.length);
    channelData.forEach((channel, i) => planar.set(channel.subarray(0, samplesDecoded), i * samplesDecoded));
    const numberOfChannels = channelData.length;
    const timestamp = packet.timestamp;
    this.onSample(
      new AudioSample({ data: planar, format: 'f32-planar', numberOfChannels, sampleRate, timestamp }),
    );
  }

  override flush(): void {}

  override close(): void {
    this.decoder?.free();
  }
}

registerDecoder(OpusPacketDecoder);
