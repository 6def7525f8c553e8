/**
 * @module
 * A {@link BackendClient} for one model served through `@huggingface/inference`'s `imageClassification` or
 * `audioClassification` against an `endpointUrl` (an HF Inference Endpoint, or any server speaking that API):
 * each canonical input is posted as its raw bytes (with its MIME type) and the endpoint answers its own labels
 * and scores — usually only its top few (the transformers pipelines' default `top_k` is 5). Such a model has no
 * embeddings (it is a {@link ClassifierClient}, with no `embed`); tasks map its labels onto theirs with the
 * `provider-label` head (`heads/provider-label.ts`).
 */
import { InferenceClient } from '@huggingface/inference';
import type { CanonicalInput } from '../../adapters/types.ts';
import { callOptions, failure, type HfOptions } from './hf.ts';
import type { ClassificationModelConfig } from './provider-models.ts';
import type { ClassificationModelInfo, ClassifierClient, ProviderLabel } from './types.ts';

function labelsOf(answer: readonly { label: string; score: number }[]): ProviderLabel[] {
  return answer.map(({ label, score }) => ({ label, score }));
}

export function createHfClassifierClient(
  id: string,
  config: ClassificationModelConfig,
  options: HfOptions = {},
): ClassifierClient {
  const client = new InferenceClient(options.token);
  const info: ClassificationModelInfo = {
    kind: 'classification',
    id,
    modality: config.modality,
    task: config.task,
    executionProvider: 'hf-endpoint',
  };

  async function classifyOne(input: CanonicalInput): Promise<ProviderLabel[]> {
    const args = {
      endpointUrl: config.endpointUrl,
      inputs: new Blob([input.bytes.slice()], { type: input.mimeType }),
    };
    const call = callOptions(options);
    try {
      const answer =
        config.task === 'image-classification'
          ? await client.imageClassification(args, call)
          : await client.audioClassification(args, call);
      return labelsOf(answer);
    } catch (error) {
      throw failure(id, error);
    }
  }

  return {
    url: config.endpointUrl,
    classify: (_model, inputs) => Promise.all(inputs.map(classifyOne)),
    models: () => Promise.resolve([info]),
    model: () => Promise.resolve(info),
    ready: () => Promise.resolve(true),
  };
}
