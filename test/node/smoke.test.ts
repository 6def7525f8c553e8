import ort from 'onnxruntime-node';
import { expect, it } from 'vitest';
it('ort', () => {
  expect(ort.listSupportedBackends().length).toBeGreaterThan(0);
});
