/**
 * @module
 * The Worker's entry point: the edge API with the built-in adapters and the KServe v2 backend client.
 */
import { createApp } from './app.ts';

export default createApp() satisfies ExportedHandler<Env>;
