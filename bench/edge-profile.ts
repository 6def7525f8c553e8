/**
 * @module
 * Where ModalFuse's Worker spends its CPU on one `bench:edge` case: the same stack (`edge-stack.ts`) with workerd's
 * V8 inspector on, a sampling profile of one Worker's isolate over `--requests N` (default 200) requests of the
 * case after a warm-up, printed as the functions with the most self time and the most total time (their callees
 * included). Miniflare's Cache API and rate limiter run in isolates of their own, so their CPU is not in it (the
 * ladder of `bench:edge` shows it). `--case TEXT` (default `classify`), `--worker modalfuse|uncached`,
 * `--top N` (default 40), `--out FILE` writes the `.cpuprofile` too (Chrome DevTools opens it).
 * `npx tsx bench/edge-profile.ts --case "16 texts"`.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { newBackendToken, prepareModels, startBackend } from '../scripts/lib/backend-process.ts';
import { buildEvalSet, type EvalItem } from './dataset/build.ts';
import { edgeCases } from './edge-cases.ts';
import { post } from './edge-sample.ts';
import { setUp } from './edge-setup.ts';
import { startEdgeStack } from './edge-stack.ts';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  readonly children?: number[];
}

interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** One DevTools protocol session over the inspector's WebSocket. */
async function inspect(url: string) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let next = 1;
  const waiting = new Map<number, (result: unknown) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  return {
    send: (method: string, params: object = {}) =>
      new Promise<unknown>((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}

const frameName = ({ callFrame: f }: ProfileNode) =>
  `${f.functionName || '(anonymous)'} ${f.url.split('/').at(-1) ?? ''}:${f.lineNumber + 1}`;

/** Self and total µs per function (a function recursing counts once in its total). */
function summarise(profile: Profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    all += dt;
    const node = byId.get(id);
    if (node === undefined) return;
    self.set(frameName(node), (self.get(frameName(node)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = frameName(byId.get(at) as ProfileNode);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + dt);
    }
  });
  return { self, total, all };
}

function printTop(title: string, times: Map<string, number>, all: number, top: number, requests: number) {
  console.log(`\n${title}`);
  console.log('| function | ms per request | share |');
  console.log('| --- | ---: | ---: |');
  for (const [name, us] of [...times].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`| ${name} | ${(us / 1000 / requests).toFixed(3)} | ${((100 * us) / all).toFixed(1)} % |`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      case: { type: 'string', default: 'classify' },
      worker: { type: 'string', default: 'modalfuse' },
      requests: { type: 'string', default: '200' },
      top: { type: 'string', default: '40' },
      out: { type: 'string' },
    },
  });
  const requests = Number(values.requests);
  const worker = values.worker === 'uncached' ? 'uncached' : 'modalfuse';
  const port = 9229 + Math.floor(Math.random() * 500);
  await prepareModels(() => undefined);
  const items = await buildEvalSet({ perLabel: 2 });
  const backend = await startBackend({
    env: { MODALFUSE_EXECUTION_PROVIDER: 'cpu', MODALFUSE_BACKEND_TOKEN: newBackendToken() },
  });
  try {
    const stack = await startEdgeStack(backend, port);
    try {
      const labels = [...new Set(items.map((item) => item.label))];
      const models = await setUp(stack, backend, labels, items);
      const item = items.find((candidate) => candidate.split === 'test') ?? (items[0] as EvalItem);
      const warmup = 20;
      const cases = await edgeCases('bench-edge', models, labels, item, warmup + requests);
      const chosen = cases.find((c) => c.name.includes(values.case));
      if (chosen === undefined) throw new Error(`no case has ${values.case} in its name`);
      const send = async (i: number) => (await post(stack.urls[worker], chosen.modalfuse(i))).arrayBuffer();
      for (let i = 0; i < warmup; i++) await send(i);
      const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as {
        id: string;
        title?: string;
        webSocketDebuggerUrl: string;
      }[];
      const target = targets.find((t) => `${t.id} ${t.title ?? ''}`.endsWith(`:${worker}`)) ?? targets[0];
      if (target === undefined) throw new Error('the inspector lists no isolate');
      const session = await inspect(target.webSocketDebuggerUrl);
      await session.send('Profiler.enable');
      await session.send('Profiler.setSamplingInterval', { interval: 100 });
      await session.send('Profiler.start');
      for (let i = warmup; i < warmup + requests; i++) await send(i);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const { profile } = (await session.send('Profiler.stop')) as { profile: Profile };
      session.close();
      if (values.out !== undefined) await writeFile(values.out, JSON.stringify(profile));
      const { self, total, all } = summarise(profile);
      console.log(
        `${chosen.name}, Worker ${worker} (${target.title ?? target.id}): ${requests} requests, ` +
          `${(all / 1000 / requests).toFixed(2)} ms sampled per request (idle included)`,
      );
      const top = Number(values.top);
      printTop('Self time', self, all, top, requests);
      printTop('Total time (callees included)', total, all, top, requests);
    } finally {
      await stack.stop();
    }
  } finally {
    await backend.stop();
  }
}

await main();
