/**
 * @module
 * The classify task `bench:edge` (and `edge-profile.ts`) times: made and taught in both ModalFuse Workers of the
 * stack, with the models its modalities use.
 */
import { backendHeaders } from '../src/backend/http.ts';
import { modelInfoOf } from '../src/backend/wire.ts';
import type { EdgeBackend } from '../scripts/lib/edge-backend.ts';
import type { ModelMetadata } from '../gpu-backend/protocol/types.ts';
import type { EvalItem } from './dataset/build.ts';
import type { Models } from './edge-cases.ts';
import { post } from './edge-sample.ts';
import type { EdgeStack } from './edge-stack.ts';

/** Creates the classify task in `origin`'s Worker and teaches it the items; returns the task's models. */
async function createTask(origin: string, labels: readonly string[], items: readonly EvalItem[]) {
  const created = await post(origin, {
    path: '/v1/tasks',
    body: { id: 'bench-edge', labels, modalities: { html: false } },
  });
  const task = (await created.json()) as {
    modalities: Record<'text' | 'image' | 'audio', { model: string }>;
  };
  const examples = items.map((item) => ({
    label: item.label,
    inputs: {
      text: item.text,
      image: `data:image/png;base64,${item.image.toString('base64')}`,
      audio: `data:audio/wav;base64,${item.audio.toString('base64')}`,
    },
  }));
  await post(origin, { path: '/v1/tasks/bench-edge/examples', body: { examples } });
  return task.modalities;
}

/**
 * The classify task in both ModalFuse Workers (each has its own Durable Objects); returns its models with their
 * embedding outputs.
 */
export async function setUp(
  stack: EdgeStack,
  backend: EdgeBackend,
  labels: readonly string[],
  items: readonly EvalItem[],
): Promise<Models> {
  const modalities = await createTask(stack.urls.modalfuse, labels, items);
  await createTask(stack.urls.uncached, labels, items);
  const modelOf = async (id: string) => {
    const metadata = (await (
      await fetch(`${backend.url}/v2/models/${encodeURIComponent(id)}`, { headers: backendHeaders(backend) })
    ).json()) as ModelMetadata;
    return { id, output: modelInfoOf(metadata)?.embeddingOutput ?? 'embedding' };
  };
  const { text, image, audio } = modalities;
  return {
    text: await modelOf(text.model),
    image: await modelOf(image.model),
    audio: await modelOf(audio.model),
  };
}
