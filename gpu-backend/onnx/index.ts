/**
 * @module
 * The ONNX graph toolkit: build models by hand, read and write model bytes.
 */
export * from './build.ts';
export * from './edit.ts';
export * from './model.ts';
