/**
 * @module
 * The real {@link ProviderProbe}: builds a one-node Identity model in memory and runs it once with the
 * candidate provider's options, so a missing library, driver or device shows up at start, not at the first
 * request.
 */
import { buildModel, node, valueInfo } from '../onnx/build.ts';
import type { ProviderProbe } from './execution-provider.ts';
import { OnnxSession, supportedBackends } from './session.ts';

const probeModel = buildModel({
  name: 'provider-probe',
  inputs: [valueInfo('x', 'float32', [1, 4])],
  outputs: [valueInfo('y', 'float32', [1, 4])],
  nodes: [node('Identity', ['x'], ['y'])],
});

export const onnxProviderProbe: ProviderProbe = {
  supportedBackends,
  async tryStart(options) {
    const session = await OnnxSession.create(probeModel, options);
    try {
      await session.run({ x: { type: 'float32', data: new Float32Array(4), dims: [1, 4] } });
    } finally {
      await session.release();
    }
  },
};
