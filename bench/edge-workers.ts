/**
 * @module
 * The two reference Workers `bench:edge` runs beside ModalFuse's, as module sources: the bare proxy (the request
 * to the backend as it came, the answer back as it came), and the floor — the least a Worker serving
 * `/v1/embeddings` must do with one text: read the JSON, send the backend one KServe v2 infer request (the embedding
 * asked as binary data, as ModalFuse's client asks), read the answer and write OpenAI's JSON. No auth, no
 * validation, no cache, no log: what is left between the floor and ModalFuse is ModalFuse's own.
 */

export const proxySource = `export default {
  fetch(request, env) {
    const url = new URL(request.url);
    return fetch(env.BACKEND_URL + url.pathname + url.search, request);
  },
};`;

export const floorSource = `const outputs = new Map();

async function loadOutput(backend, model) {
  const metadata = await (await fetch(backend + '/v2/models/' + encodeURIComponent(model))).json();
  const output = metadata.parameters?.embedding_output ?? 'embedding';
  outputs.set(model, output);
  return output;
}

export default {
  async fetch(request, env) {
    const { model, input } = await request.json();
    const output = outputs.get(model) ?? (await loadOutput(env.BACKEND_URL, model));
    let binary = '';
    for (const byte of new TextEncoder().encode(input)) binary += String.fromCharCode(byte);
    const raw = { name: 'raw', datatype: 'BYTES', shape: [1], parameters: { content_type: 'base64' } };
    const infer = {
      inputs: [{ ...raw, data: [btoa(binary)] }],
      outputs: [{ name: output, parameters: { binary_data: true } }],
    };
    const answer = await fetch(env.BACKEND_URL + '/v2/models/' + encodeURIComponent(model) + '/infer', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(infer),
    });
    const bytes = new Uint8Array(await answer.arrayBuffer());
    const headerLength = Number(answer.headers.get('inference-header-content-length'));
    JSON.parse(new TextDecoder().decode(bytes.subarray(0, headerLength)));
    const embedding = Array.from(new Float32Array(bytes.slice(headerLength).buffer));
    const words = input.split(/\\s+/).length;
    const usage = { prompt_tokens: words, total_tokens: words };
    return Response.json({ object: 'list', data: [{ object: 'embedding', index: 0, embedding }], model, usage });
  },
};`;
