/**
 * @module
 * A local HTTP server imitating the parts of the Hugging Face Hub that `models pull` uses (model info with the
 * commit sha, the recursive tree listing with LFS sha256 and git blob sha1, `resolve` downloads with Range
 * support), serving one repository from a folder. Tests can cut a download short once, or serve other bytes than
 * the listing promises, and see every request made.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, relative } from 'node:path';

export interface FakeHub {
  readonly url: string;
  readonly sha: string;
  readonly requests: { path: string; range?: string | undefined }[];
  /** The next download of `path` sends half the bytes, then drops the connection. */
  cutOnce(path: string): void;
  /** Downloads of `path` serve these bytes (the listing keeps the original's hashes). */
  tamper(path: string, bytes: Uint8Array): void;
  close(): Promise<void>;
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(folder, path)).isFile())
    .map((path) => relative(folder, join(folder, path)).split('\\').join('/'));
}

function listing(folder: string): object[] {
  return filesUnder(folder).map((path) => {
    const bytes = readFileSync(join(folder, path));
    const gitSha1 = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    const lfs = path.endsWith('.onnx')
      ? {
          lfs: {
            oid: createHash('sha256').update(bytes).digest('hex'),
            size: bytes.length,
            pointerSize: 134,
          },
        }
      : {};
    return { type: 'file', path, size: path.endsWith('.onnx') ? 134 : bytes.length, oid: gitSha1, ...lfs };
  });
}

function sendFile(request: IncomingMessage, response: ServerResponse, bytes: Uint8Array, cut: boolean): void {
  const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  if (start >= bytes.length && range) {
    response.writeHead(416).end();
    return;
  }
  const body = bytes.subarray(start);
  response.writeHead(range ? 206 : 200, {
    'content-length': body.length,
    ...(range ? { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}),
  });
  if (cut) {
    response.write(body.subarray(0, body.length >> 1), () => response.destroy());
    return;
  }
  response.end(body);
}

/** Serves `folder` as the Hub repository `repo` at a fixed commit. */
export async function startFakeHub(repo: string, folder: string): Promise<FakeHub> {
  const sha = createHash('sha1').update(repo).digest('hex');
  const requests: FakeHub['requests'] = [];
  const cuts = new Set<string>();
  const tampered = new Map<string, Uint8Array>();
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://hub').pathname);
    requests.push({ path, range: request.headers.range });
    const json = (body: unknown) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (new RegExp(`^/api/models/${repo}/revision/(main|HEAD|${sha})$`).test(path)) {
      return json({
        _id: 'fake',
        id: repo,
        sha,
        private: false,
        downloads: 0,
        likes: 0,
        lastModified: new Date(0).toISOString(),
      });
    }
    if (path === `/api/models/${repo}/tree/${sha}`) return json(listing(folder));
    const prefix = `/${repo}/resolve/${sha}/`;
    if (path.startsWith(prefix)) {
      const file = path.slice(prefix.length);
      if (!filesUnder(folder).includes(file)) return response.writeHead(404).end('not found');
      const cut = cuts.delete(file);
      return sendFile(request, response, tampered.get(file) ?? readFileSync(join(folder, file)), cut);
    }
    response
      .writeHead(404, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: `no route ${path}` }));
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    sha,
    requests,
    cutOnce: (path) => cuts.add(path),
    tamper: (path, bytes) => tampered.set(path, bytes),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
