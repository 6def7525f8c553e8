/**
 * @module
 * The Worker's entry point: the edge API with the built-in adapters and the KServe v2 backend client, and the
 * Durable Object classes that store tasks.
 */
import { createApp } from './app.ts';

export { TaskIndex } from './tasks/task-index.ts';
export { TaskObject } from './tasks/task-object.ts';

export default createApp() satisfies ExportedHandler<Env>;
