/**
 * @module
 * The reference Workers `bench:edge` runs beside ModalFuse's, as module sources: the bare proxy (the request to the
 * backend as it came, the answer back as it came), and the floor — the least a Worker serving the route must do:
 * - `/v1/embeddings` with one text: read the JSON, send the backend one KServe v2 infer request (the embedding asked
 *   as binary data, as ModalFuse's client asks), read the answer and write OpenAI's JSON;
 * - `/v1/classify` with text + image + audio: the same three infer calls at once (the data URLs' base64 sent as it
 *   came), a linear head per modality over its embedding (a softmax over the labels) and their mean as the fusion.
 *   It is told the models in the request (`models`), since it keeps no tasks.
 * Both send the backend the bearer token (`BACKEND_TOKEN`), as a deployment must; the proxy puts it in place of the
 * client's key. No auth, no validation, no cache, no log: what is left between the floor and ModalFuse is
 * ModalFuse's own. With
 * `CACHE_CALLS` set, the floor also makes the embedding cache's Cache API calls as ModalFuse did before one lookup
 * per request (`docs/edge-cost.md`): per input a SHA-256 key, a `match` while the backend works, and a `put` of the
 * vector after the answer; so the ladder shows what those calls cost in this runtime apart from ModalFuse's code.
 */

export const proxySource = `export default {
  fetch(request, env) {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.set('authorization', 'Bearer ' + env.BACKEND_TOKEN);
    return fetch(env.BACKEND_URL + url.pathname + url.search, { method: request.method, headers, body: request.body });
  },
};`;

export const floorSource = `const outputs = new Map();
const origin = 'https://floor-cache.bench.internal/';

async function loadOutput(env, model) {
  const headers = { authorization: 'Bearer ' + env.BACKEND_TOKEN };
  const metadata = await (await fetch(env.BACKEND_URL + '/v2/models/' + encodeURIComponent(model), { headers })).json();
  const output = metadata.parameters?.embedding_output ?? 'embedding';
  outputs.set(model, output);
  return output;
}

function base64Of(text) {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

async function keyOf(base64) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(base64));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** One infer call of one base64 input; its embedding. With cacheCalls, a match meanwhile and a put after. */
async function embed(env, ctx, model, output, base64) {
  const cacheCalls = env.CACHE_CALLS === '1';
  const key = cacheCalls ? await keyOf(model + '\\0' + base64) : '';
  const raw = { name: 'raw', datatype: 'BYTES', shape: [1], parameters: { content_type: 'base64' } };
  const infer = {
    inputs: [{ ...raw, data: [base64] }],
    outputs: [{ name: output, parameters: { binary_data: true } }],
  };
  const answered = fetch(env.BACKEND_URL + '/v2/models/' + encodeURIComponent(model) + '/infer', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + env.BACKEND_TOKEN },
    body: JSON.stringify(infer),
  });
  if (cacheCalls) {
    const found = await caches.default.match(origin + key);
    if (found !== undefined) await found.arrayBuffer();
  }
  const answer = await answered;
  const bytes = new Uint8Array(await answer.arrayBuffer());
  const headerLength = Number(answer.headers.get('inference-header-content-length'));
  JSON.parse(new TextDecoder().decode(bytes.subarray(0, headerLength)));
  const vector = new Float32Array(bytes.slice(headerLength).buffer);
  if (cacheCalls) {
    const headers = { 'content-type': 'application/octet-stream', 'cache-control': 'max-age=600' };
    const put = () => caches.default.put(origin + key, new Response(vector.slice().buffer, { headers }));
    ctx.waitUntil(new Promise((resolve) => setTimeout(resolve, 5)).then(put));
  }
  return vector;
}

/** A fixed linear head: weights from the label's and the dimension's numbers; softmax over the labels. */
function head(vector, labels) {
  const logits = labels.map((_, l) => {
    let sum = 0;
    for (let d = 0; d < vector.length; d++) sum += vector[d] * Math.sin(l * 7919 + d);
    return sum;
  });
  const top = Math.max(...logits);
  const exps = logits.map((x) => Math.exp(x - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((x) => x / total);
}

async function embeddings(request, env, ctx) {
  const { model, input } = await request.json();
  const output = outputs.get(model) ?? (await loadOutput(env, model));
  const embedding = Array.from(await embed(env, ctx, model, output, base64Of(input)));
  const words = input.split(/\\s+/).length;
  const usage = { prompt_tokens: words, total_tokens: words };
  return Response.json({ object: 'list', data: [{ object: 'embedding', index: 0, embedding }], model, usage });
}

async function classify(request, env, ctx) {
  const { models, labels, inputs } = await request.json();
  const modalities = Object.keys(inputs);
  const scores = await Promise.all(
    modalities.map(async (modality) => {
      const value = inputs[modality];
      const base64 = modality === 'text' ? base64Of(value) : value.slice(value.indexOf(',') + 1);
      const { id, output } = models[modality];
      return head(await embed(env, ctx, id, output, base64), labels);
    }),
  );
  const fused = labels.map((_, l) => scores.reduce((sum, s) => sum + s[l], 0) / scores.length);
  const best = fused.indexOf(Math.max(...fused));
  const perModality = Object.fromEntries(modalities.map((m, i) => [m, scores[i]]));
  return Response.json({ label: labels[best], confidence: fused[best], scores: fused, modalities: perModality });
}

export default {
  fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    return pathname === '/v1/classify' ? classify(request, env, ctx) : embeddings(request, env, ctx);
  },
};`;
