/**
 * @module
 * The classification half of the local HF Inference API imitation (mounted by `tei-server.ts`): `POST
 * /image-classification` and `POST /audio-classification` take the raw bytes as the body, with their MIME type as
 * `content-type` (what `@huggingface/inference` sends), and answer `[{label, score}, …]`, the top few only, as
 * HF's pipelines do. Pictures are told apart by colour (sharp's channel means): the labels are the provider's own
 * ("Crimson", "RED", "fire engine", "sky", …), for tasks to map onto theirs. Speech always answers "Speech" and
 * "Music". `/down/…` answers 503 as an endpoint that is scaling up does; `/malformed/…` answers a wrong shape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import sharp from 'sharp';

type Answer = { label: string; score: number }[];

export const redPicture: Answer = [
  { label: 'Crimson', score: 0.55 },
  { label: 'RED', score: 0.2 },
  { label: 'fire engine', score: 0.1 },
  { label: 'sky', score: 0.05 },
  { label: 'volcano', score: 0.05 },
];

export const bluePicture: Answer = [
  { label: 'sky', score: 0.6 },
  { label: 'Blue', score: 0.2 },
  { label: 'jeans', score: 0.1 },
  { label: 'Crimson', score: 0.05 },
];

export const speech: Answer = [
  { label: 'Speech', score: 0.7 },
  { label: 'Music', score: 0.2 },
];

const imageTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBytes(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function classifyImage(bytes: Buffer): Promise<Answer> {
  const { channels } = await sharp(bytes).stats();
  const [red, , blue] = channels.map((channel) => channel.mean);
  return (red ?? 0) > (blue ?? 0) ? redPicture : bluePicture;
}

function isWav(bytes: Buffer): boolean {
  return (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WAVE'
  );
}

async function answerFor(path: string, type: string, bytes: Buffer): Promise<[number, unknown]> {
  if (path === '/image-classification') {
    if (!imageTypes.includes(type)) return [400, { error: `unsupported content-type ${type}` }];
    return [200, await classifyImage(bytes)];
  }
  if (!type.startsWith('audio/') || !isWav(bytes)) return [400, { error: 'could not decode the audio' }];
  return [200, speech];
}

/** Whether the path is one of the classification endpoints (or their failing twins). */
export function isClassificationPath(path: string): boolean {
  return /^\/(down\/|malformed\/)?(image|audio)-classification$/.test(path);
}

export function handleClassification(path: string, request: IncomingMessage, response: ServerResponse): void {
  readBytes(request)
    .then(async (bytes) => {
      if (path.startsWith('/down/')) return send(response, 503, { error: 'Service Unavailable' });
      if (path.startsWith('/malformed/')) return send(response, 200, { predictions: 'none' });
      const [status, body] = await answerFor(path, request.headers['content-type'] ?? '', bytes);
      send(response, status, body);
    })
    .catch(() => send(response, 400, { error: 'the input could not be read' }));
}
