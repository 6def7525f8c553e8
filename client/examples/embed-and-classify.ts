/**
 * @module
 * Example: embed texts, create a task, teach it, classify and clean up, with the typed client.
 * Run against `npm start`: `npx tsx client/examples/embed-and-classify.ts [base URL]` (set MODALFUSE_API_KEY
 * when the API has keys). `test/cli/client-examples.test.ts` runs it against the real stack.
 */
import { createModalFuseClient, ok } from '#client';

const api = createModalFuseClient({
  baseUrl: process.argv[2] ?? 'http://127.0.0.1:8787',
  apiKey: process.env.MODALFUSE_API_KEY,
});

// The raw typed response: status, headers, and a body typed per status by the route's schemas.
const embedded = await api.embeddings.v1.embeddings.$post({
  json: {
    model: 'use-lite',
    input: ['a red apple', 'the blue sea'],
    encoding_format: 'float',
  },
});
if (!embedded.ok) throw new Error(`embeddings: ${embedded.status} ${await embedded.text()}`);
const { data, usage } = await embedded.json();
console.log(
  `${data.length} embeddings of ${data[0]?.embedding.length} dimensions, ${usage.total_tokens} tokens`,
);

// `ok()` gives the 2xx body or throws an ApiError carrying the problem's title and detail.
const id = `colours-${Date.now()}`;
const task = await ok(
  api.tasks.v1.tasks.$post({ json: { id, labels: ['red', 'blue'], modalities: { html: false } } }),
);
const examples = [
  { label: 'red', inputs: { text: 'a ripe red strawberry' } },
  { label: 'blue', inputs: { text: 'a clear blue sky' } },
];
const taught = await ok(api.teach(task.id, { examples }));
console.log(`task ${task.id}: ${taught.added} examples added`);
const classified = await ok(api.classify({ task: id, inputs: { text: 'red cherries' } }));
if (Array.isArray(classified)) throw new Error('one item was sent: expected one answer');
console.log(
  `label: ${classified.label} (${classified.scores.map((s) => `${s.label} ${s.score.toFixed(3)}`).join(', ')})`,
);
await ok(api.tasks.v1.tasks[':id'].$delete({ param: { id } }));
