/**
 * @module
 * Whether a head, a model and a create request's options go together, said in words when they do not: a head
 * consumes what its model gives (an embedding, or a classification endpoint's labels), a provider model serves
 * one modality, and options go only to a head that keeps them. The head a modality gets when the request names
 * none is chosen here too: the one its given options choose (linear weights), else the first registered head
 * that consumes what the model gives. Mismatches are the client's 400.
 */
import type { ModelDescription } from '../backend/model-catalog.ts';
import type { AnswerKind } from '../backend/types.ts';
import { ApiError } from '../problem.ts';
import type { GivenOptions, Head, HeadFields, HeadSetup } from './head.ts';
import { heads } from './registry.ts';

/** The provider tasks that answer labels, for the refusal that says how to get such a model. */
const classificationTasks = ['image-classification', 'audio-classification'];

const given = (options: GivenOptions, head: Head) =>
  head.options?.names.some((name) => options[name] !== undefined) ?? false;

/** The head a modality gets when the request names none (see the module's notes). */
export function defaultHeadFor(gives: AnswerKind, options: GivenOptions): Head {
  const chosen = heads.find(
    (head) => head.consumes === gives && head.options?.chooseOwner && given(options, head),
  );
  const first = heads.find((head) => head.consumes === gives);
  if (first === undefined) throw new Error(`no registered head consumes ${gives}`);
  return chosen ?? first;
}

function misfit(detail: string): ApiError {
  return new ApiError(400, 'head-does-not-fit-model', detail);
}

/** The refusal of a head that consumes something else than its model gives. */
function consumptionMisfit(at: string, model: string, description: ModelDescription, head: Head) {
  if (head.consumes === 'embedding') {
    const labelsHead = defaultHeadFor('labels', {}).name;
    return misfit(
      `${at}: the model ${model} is a ${description.task ?? 'classification'} endpoint that answers its own labels, not embeddings, so the ${head.name} head cannot use it; use the ${labelsHead} head (its default)`,
    );
  }
  const learners = heads.filter((h) => h.consumes === 'embedding' && h.fit !== undefined).map((h) => h.name);
  return misfit(
    `${at}: the ${head.name} head needs a classification endpoint (a MODELS entry with task ${classificationTasks.join(' or ')}), and ${model} gives embeddings; use ${learners.join(' or ')}`,
  );
}

/** Whether `head` keeps the options `owner` owns. */
function keeps(head: Head, owner: Head): boolean {
  return head === owner || (owner.options?.keptByEmbeddingHeads === true && head.consumes === 'embedding');
}

/** Refuses a head, model and options that do not go together (see the module's notes). */
export function checkModelFit(
  modality: string,
  model: string,
  description: ModelDescription,
  head: Head,
  options: GivenOptions,
): void {
  const at = `modalities.${modality}`;
  if (description.modality !== undefined && description.modality !== modality) {
    const detail = `${at}.model: ${model} (${description.task ?? 'a provider model'}) serves the ${description.modality} modality, not ${modality}`;
    throw new ApiError(400, 'model-modality-mismatch', detail);
  }
  if (head.consumes !== description.gives) throw consumptionMisfit(at, model, description, head);
  for (const owner of heads) {
    if (owner.options !== undefined && given(options, owner) && !keeps(head, owner))
      throw misfit(`${at}: ${owner.options.title} belong to the ${owner.name} head, not ${head.name}`);
  }
}

/** The fields a new modality starts with: those of the options given to it, then its head's own. */
export async function initialFields(head: Head, setup: HeadSetup): Promise<Partial<HeadFields>> {
  const read = heads.flatMap((owner) =>
    owner.options?.read !== undefined && given(setup.given, owner) && keeps(head, owner)
      ? [owner.options.read(setup)]
      : [],
  );
  return Object.assign({}, ...read, await head.init?.(setup)) as Partial<HeadFields>;
}
