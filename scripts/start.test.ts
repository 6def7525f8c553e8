/**
 * @module
 * `npm start` as a new user runs it: in a checkout with no `../shared` beside it, an empty MODALFUSE_MODELS_DIR and
 * the model files on a local mirror (MODALFUSE_MODELS_BASE_URL). With good files it downloads them, serves the API
 * (readiness, a text and an image embedding) and stops on Ctrl-C; with wrong bytes, a connection dropped halfway or
 * the mirror down it stops within seconds, naming every missing file and both ways to provide it, and keeps no file.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelsDir, serveMirror, withTempDir, type FileServer } from '../test/support/backend/model-files.ts';
import { freePort } from '../test/stack/edge-process.ts';
import { makeCheckout, type Checkout } from '../test/support/checkout.ts';

const MODEL_FILES = [
  'embedding_model.onnx',
  'imagenet-simple-labels.json',
  'melspectrogram.onnx',
  'mobilenetv2-12-int8.onnx',
];

let checkout: Checkout;
let mirror: FileServer;
/** Every `npm start` of this file, so that none outlives it, even after a failed or timed-out test. */
const started: NpmStart[] = [];

beforeAll(async () => {
  [checkout, mirror] = await Promise.all([makeCheckout(), serveMirror(modelsDir)]);
});

afterAll(async () => {
  for (const start of started) start.interrupt('SIGKILL');
  await Promise.all([checkout?.remove(), mirror?.close()]);
});

interface NpmStart {
  /** Everything printed so far, stdout and stderr together. */
  output(): string;
  /** Resolves when `text` has been printed; rejects if npm exits first. */
  printed(text: string): Promise<void>;
  readonly exited: Promise<number | null>;
  /** Ctrl-C as a terminal sends it: SIGINT to the whole process group. */
  interrupt(signal?: NodeJS.Signals): void;
  /** Resolves once no process of the group is left (npm, the start script, the backend, wrangler, workerd). */
  stopped(): Promise<void>;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `npm start` in the checkout, in its own process group, with the models and ports of `dir`. */
async function npmStart(dir: string, baseUrl: string): Promise<NpmStart & { edge: string }> {
  const start = await spawnNpmStart(dir, baseUrl);
  started.push(start);
  return start;
}

async function spawnNpmStart(dir: string, baseUrl: string): Promise<NpmStart & { edge: string }> {
  const [backendPort, edgePort] = [await freePort(), await freePort()];
  const child = spawn('npm', ['start'], {
    cwd: checkout.root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      MODALFUSE_MODEL_REPOSITORY: join(dir, 'repository'),
      MODALFUSE_MODELS_DIR: join(dir, 'models'),
      XDG_CACHE_HOME: join(dir, 'cache'),
      MODALFUSE_MODELS_BASE_URL: baseUrl,
      MODALFUSE_BACKEND_PORT: String(backendPort),
      MODALFUSE_EDGE_PORT: String(edgePort),
    },
  });
  let output = '';
  const waiting: (() => void)[] = [];
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    waiting.forEach((check) => check());
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    edge: `http://127.0.0.1:${edgePort}`,
    output: () => output,
    exited,
    printed: (text) =>
      new Promise((resolve, reject) => {
        const check = () => output.includes(text) && resolve();
        waiting.push(check);
        check();
        void exited.then((code) =>
          reject(new Error(`npm start exited with ${code} before "${text}":\n${output}`)),
        );
      }),
    interrupt: (signal = 'SIGINT') => {
      if (child.pid && groupAlive(child.pid)) process.kill(-child.pid, signal);
    },
    stopped: async () => {
      await exited;
      while (child.pid && groupAlive(child.pid)) await new Promise((resolve) => setTimeout(resolve, 100));
    },
  };
}

describe('npm start with no model files on the machine', () => {
  it(
    'downloads them from the mirror, serves the API, and stops on Ctrl-C',
    { timeout: 240_000 },
    async () => {
      await withTempDir(async (dir) => {
        const start = await npmStart(dir, mirror.url);
        await start.printed('ModalFuse is up.');
        expect((await readdir(join(dir, 'models'))).sort()).toEqual(MODEL_FILES);
        expect((await fetch(`${start.edge}/readyz`)).status).toBe(200);
        // The backend needs the run's token, which only the edge was given.
        const backend = /backend \(KServe v2\): (\S+)/.exec(start.output())?.[1];
        expect((await fetch(`${backend}/v2/models/use-lite`)).status).toBe(401);
        const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#d01010' } })
          .png()
          .toBuffer();
        for (const [model, input, dimension] of [
          ['use-lite', 'a red apple', 512],
          ['mobilenetv2-int8', `data:image/png;base64,${png.toString('base64')}`, 1280],
        ] as const) {
          const response = await fetch(`${start.edge}/v1/embeddings`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ model, input, encoding_format: 'float' }),
          });
          expect(response.status, model).toBe(200);
          const { data } = (await response.json()) as { data: { embedding: number[] }[] };
          expect(data[0]?.embedding, model).toHaveLength(dimension);
        }
        start.interrupt();
        await start.stopped();
        await expect(fetch(`${start.edge}/healthz`)).rejects.toThrow();
      });
    },
  );
});

describe.concurrent('npm start when the model files cannot be had', () => {
  const cases = [
    ['sends wrong bytes', 'corrupt', /has sha256 [0-9a-f]{64}, expected [0-9a-f]{64}; nothing was saved/],
    ['drops the connection halfway', 'drop', /after \d+ of \d+ bytes; nothing was saved/],
    ['is down', 'down', /ECONNREFUSED/],
  ] as const;
  it.each(cases)(
    'stops within seconds when the mirror %s, naming every file and both ways',
    async (_, mode, why) => {
      await withTempDir(async (dir) => {
        const started = performance.now();
        const down = `http://127.0.0.1:${await freePort()}`;
        const start = await npmStart(dir, mode === 'down' ? down : `${mirror.url}/${mode}`);
        expect(await start.exited).toBe(1);
        expect(performance.now() - started).toBeLessThan(30_000);
        const output = start.output();
        expect(output).toContain('4 model source files are missing and could not be downloaded');
        for (const file of MODEL_FILES)
          expect(output).toMatch(new RegExp(`- ${file} \\(sha256 [0-9a-f]{64}\\): .*${why.source}`));
        expect(output).toContain(`Looked in: MODALFUSE_MODELS_DIR (${join(dir, 'models')})`);
        expect(output).toMatch(/set MODALFUSE_MODELS_DIR to it.*\n.*set MODALFUSE_MODELS_BASE_URL to a/);
        expect(output).not.toMatch(/\n\s+at /);
        expect(await readdir(join(dir, 'models'))).toEqual([]);
      });
    },
  );
});
