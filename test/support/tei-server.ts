/**
 * @module
 * A local server that speaks the embedding API of TEI / the HF Inference API (`POST /` with `{"inputs": …}` →
 * one vector per input; `GET /health`), for testing the Hugging Face provider without a network. Its vectors are
 * a deterministic function of the text ({@link teiVector}), so tests can check exactly what came back. It wants
 * `Authorization: Bearer <token>`, and refuses inputs over 200 characters with 413 as TEI does. The same server
 * answers image and audio classification under their own paths (`hf-classifier.ts`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleClassification, isClassificationPath } from './hf-classifier.ts';

export const teiDimension = 8;

/** Character codes folded into 8 buckets, L2-normalised. */
export function teiVector(text: string): number[] {
  const vector = Array<number>(teiDimension).fill(0);
  for (let i = 0; i < text.length; i++)
    vector[i % teiDimension] = (vector[i % teiDimension] ?? 0) + text.charCodeAt(i);
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return JSON.parse(text) as unknown;
}

export async function startTeiServer(token: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/health') return send(response, 200, {});
    if (request.headers.authorization !== `Bearer ${token}`)
      return send(response, 401, { error: 'Authorization header is correct, but the token seems invalid' });
    const path = new URL(request.url ?? '/', 'http://tei').pathname;
    if (isClassificationPath(path)) return handleClassification(path, request, response);
    readJson(request)
      .then((body) => {
        const inputs = (body as { inputs?: unknown }).inputs;
        const texts = typeof inputs === 'string' ? [inputs] : inputs;
        if (!Array.isArray(texts) || !texts.every((text) => typeof text === 'string'))
          return send(response, 422, {
            error: 'inputs must be a string or a list of strings',
            error_type: 'Validation',
          });
        if (texts.some((text) => text.length > 200))
          return send(response, 413, {
            error: 'Input validation error: inputs must have less than 200 characters',
            error_type: 'Validation',
          });
        send(response, 200, texts.map(teiVector));
      })
      .catch(() => send(response, 400, { error: 'body is not JSON' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
