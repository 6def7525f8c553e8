/**
 * @module
 * Fault test, two crashes under a teaching load of four clients. The Worker under `wrangler dev` (its own process
 * group) is SIGKILLed mid-load and started again on the same state folder: every acknowledged example must be
 * listed, and the first teaches after the restart — of the texts in flight at the kill, then of a new one — must
 * each answer within 1 s of the edge serving again (no warm-up allowance: the backend stayed up, and a stall of
 * the task's object, its index report or the embedding cache is what this looks for). Then the backend is
 * SIGKILLed: while it is down every teach is a prompt 503 with `Retry-After`, and once it is back teaching resumes,
 * with every acknowledged write still kept.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/backend-process.ts';
import { edgeBackendArgs, type EdgeBackend, type EdgeBackendArgs } from '../../scripts/lib/edge-backend.ts';
import { startKillableBackend, type KillableBackend } from '../support/killable-backend.ts';
import { freePort } from './edge-process.ts';

const wrangler = fileURLToPath(new URL('../../node_modules/.bin/wrangler', import.meta.url));
const started: ChildProcess[] = [];
const pointers: EdgeBackendArgs[] = [];
let backend: KillableBackend | undefined;
let state = '';

/** wrangler and its workerd in a group of their own, so that one signal kills them all, as a crash would. */
async function edge(port: number, backend: EdgeBackend): Promise<ChildProcess> {
  const pointed = edgeBackendArgs(backend);
  pointers.push(pointed);
  const child = spawn(
    wrangler,
    ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(await freePort())]
      .concat(['--persist-to', state, ...pointed.args, '--log-level', 'error'])
      .concat(['--show-interactive-dev-session=false']),
    {
      cwd: repoRoot,
      detached: true,
      // Its log beside the state folder, for the failure's message to quote.
      stdio: ['ignore', openSync(`${state}.log`, 'a'), openSync(`${state}.log`, 'a')],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    },
  );
  started.push(child);
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (
      await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('wrangler dev did not serve in time');
}

const killGroup = (child: ChildProcess) => {
  if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
};

afterAll(async () => {
  started.forEach((child) => {
    try {
      killGroup(child);
    } catch {
      // Already gone.
    }
  });
  await backend?.close();
  pointers.forEach((pointed) => pointed.remove());
  if (state !== '') await rm(state, { recursive: true, force: true });
  if (state !== '') await rm(`${state}.log`, { force: true });
});

const teach = (url: string, text: string, signal?: AbortSignal) =>
  fetch(`${url}/v1/tasks/crash/examples`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ examples: [{ label: text.length % 2 ? 'a' : 'b', inputs: { text } }] }),
    signal,
  });

async function listed(url: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let after = ''; ;) {
    const page = (await (await fetch(`${url}/v1/tasks/crash/examples?limit=1000${after}`)).json()) as {
      data: { id: string }[];
      has_more: boolean;
      last_id: string;
    };
    page.data.forEach(({ id }) => ids.add(id));
    if (!page.has_more) return ids;
    after = `&after=${page.last_id}`;
  }
}

/** Milliseconds `work` took. */
async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = Date.now();
  const value = await work();
  return [value, Date.now() - start];
}

const control = (path: string) => fetch(`${backend?.controlUrl ?? ''}${path}`, { method: 'POST' });

it(
  'keeps every acknowledged example through a SIGKILL of the edge, then of the backend, and teaching resumes',
  { timeout: 300_000 },
  async () => {
    state = await mkdtemp(join(tmpdir(), 'modalfuse-crash-'));
    // Only the text model: the task teaches text alone, and the backend restarts in seconds.
    backend = await startKillableBackend(['use-lite']);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const first = await edge(port, backend);
    const created = await fetch(`${url}/v1/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'crash',
        labels: ['a', 'b'],
        modalities: { image: false, audio: false, html: false },
      }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const acked: string[] = [];
    const inFlight = new Set<string>();
    let stop = false;
    // Repeated texts, as the reported load: their cache entries are written over and over when the kill comes.
    const client = async (c: number) => {
      for (let i = 0; !stop; i++) {
        const text = `text number ${(c * 7 + i) % 40}`;
        inFlight.add(text);
        const response = await teach(url, text).catch(() => undefined);
        // The kill may cut a response after its headers: a body that never arrived acknowledged nothing.
        const body = response?.ok ? await response.json().catch(() => undefined) : undefined;
        if (body) acked.push(...(body as { ids: string[] }).ids);
        if (!stop) inFlight.delete(text);
      }
    };
    const clients = [0, 1, 2, 3].map(client);
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    const gone = first.exitCode === null ? once(first, 'exit') : Promise.resolve();
    killGroup(first);
    stop = true;
    await Promise.all([gone, ...clients]);
    expect(acked.length).toBeGreaterThan(0);

    await edge(port, backend);
    // Within 1 s each, counted from the edge serving again: the texts the kill cut off, then a new one.
    const cutOff = [...inFlight];
    const firstTeaches = [];
    for (const text of [...cutOff, `brand new ${Math.random()}`]) {
      const [response, ms] = await timed(() => teach(url, text, AbortSignal.timeout(10_000)));
      const log = () => readFileSync(`${state}.log`, 'utf8').slice(-3000);
      expect(response.status, `${text}: ${await response.clone().text()}\n${log()}`).toBe(200);
      acked.push(...((await response.json()) as { ids: string[] }).ids);
      firstTeaches.push(ms);
    }
    const ids = await listed(url);
    expect(acked.filter((id) => !ids.has(id))).toEqual([]);
    console.log(
      `edge SIGKILL: acknowledged ${acked.length}, listed ${ids.size}; ` +
        `first teaches after the restart ${firstTeaches.join(', ')} ms (${cutOff.length} cut off at the kill)`,
    );
    expect(Math.max(...firstTeaches)).toBeLessThan(1_000);

    // The backend crashes on the next inference: that teach and every one while it is down are prompt 503s.
    expect((await control('/kill-after/1')).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const [down, ms] = await timed(() =>
        teach(url, `while down ${i} ${Math.random()}`, AbortSignal.timeout(15_000)),
      );
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(down.headers.get('content-type')).toBe('application/problem+json');
      if (i > 0) expect(ms).toBeLessThan(2_000);
    }
    // Back: teaching resumes once a breaker trial finds it (2 s after opening, at most 4 s after a failed trial).
    expect((await control('/restart')).status).toBe(200);
    const back = Date.now();
    let resumed: Response | undefined;
    while (Date.now() - back < 15_000) {
      resumed = await teach(url, `after the backend ${Math.random()}`, AbortSignal.timeout(10_000));
      if (resumed.status === 200) break;
      expect(resumed.status).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const recoveredMs = Date.now() - back;
    expect(resumed?.status).toBe(200);
    acked.push(...((await resumed?.json()) as { ids: string[] }).ids);
    const after = await listed(url);
    expect(acked.filter((id) => !after.has(id))).toEqual([]);
    console.log(`backend SIGKILL: 503 while down; teaching resumed ${recoveredMs} ms after it was back`);
  },
);
