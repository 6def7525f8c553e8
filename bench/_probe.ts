import { prepareModels, startBackend } from '../scripts/lib/backend-process.ts';
import { startWorker } from './worker-stack.ts';

await prepareModels(() => undefined);
const backend = await startBackend({ env: { MODALFUSE_EXECUTION_PROVIDER: 'cpu', MODALFUSE_WARMUP: 'full' } });
const worker = await startWorker(backend.url, { EMBEDDING_CACHE_TTL_SECONDS: '0' });
try {
  const t0 = performance.now();
  await (await worker.fetch('/readyz')).text();
  console.log('readyz', (performance.now() - t0).toFixed(1));
  for (let i = 0; i < 4; i++) {
    const started = performance.now();
    const cpu0 = worker.cpuNs() ?? 0;
    const response = await worker.fetch('/v1/embeddings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'use-lite', input: `is it going to rain ${i}?` }),
    });
    await response.text();
    const ms = performance.now() - started;
    await new Promise((r) => setTimeout(r, 50));
    console.log(i, response.status, ms.toFixed(1), 'cpu', (((worker.cpuNs() ?? 0) - cpu0) / 1e6).toFixed(1), response.headers.get('server-timing'));
  }
} finally {
  await worker.stop();
  await backend.stop();
}
