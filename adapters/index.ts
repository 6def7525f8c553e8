/**
 * @module
 * The adapters' public surface for the edge: the plugin contract, its errors, and the built-in registry.
 */
export * from './errors.ts';
export * from './registry.ts';
export * from './types.ts';
