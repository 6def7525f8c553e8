/**
 * @module
 * The Worker's entry point: the edge API with the built-in adapters and the KServe v2 backend client, and the
 * Durable Object classes that store tasks and batches; the queue consumer that runs batches' lines through the
 * same app.
 */
import { createApp } from './app.ts';
import { batchConsumer } from './batches/consumer.ts';

export { BatchObject } from './batches/batch-object.ts';
export { TaskIndex } from './tasks/task-index.ts';
export { TaskObject } from './tasks/task-object.ts';

const app = createApp();

export default {
  fetch: app.fetch,
  queue: batchConsumer(app.fetch),
} satisfies ExportedHandler<Env, never>;
