/**
 * @module
 * Example: embed texts, create a task, teach it and classify, with the typed client.
 * Run against `npm start`: `npx tsx client/examples/embed-and-classify.ts [base URL]` (set MODALFUSE_KEY when the
 * API has keys).
 */
import { createModalFuseClient } from '../index.ts';

const api = createModalFuseClient({
  baseUrl: process.argv[2] ?? 'http://127.0.0.1:8787',
  apiKey: process.env.MODALFUSE_KEY,
});

const embedded = await api.embeddings.v1.embeddings.$post({
  json: { model: 'text-hash-256', input: ['a red apple', 'the blue sea'], dimensions: 64 },
});
if (!embedded.ok) throw new Error(`embeddings: ${embedded.status} ${await embedded.text()}`);
const { data, usage } = await embedded.json();
console.log(`${data.length} embeddings of ${usage.total_tokens} tokens`);

const id = `colours-${Date.now()}`;
await api.tasks.v1.tasks.$post({ json: { id, labels: ['red', 'blue'] } });
await api.examples.v1.tasks[':id'].examples.$post({
  param: { id },
  json: {
    examples: [
      { label: 'red', inputs: { text: 'a ripe red strawberry' } },
      { label: 'blue', inputs: { text: 'a clear blue sky' } },
    ],
  },
});
const classified = await api.classify.v1.classify.$post({
  json: { task: id, inputs: { text: 'red cherries' } },
});
console.log(classified.status, await classified.json());
