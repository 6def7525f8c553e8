/**
 * @module
 * The playground's evaluation section: a labelled set in (lines of `label: text`, or the evaluate body as JSON),
 * the evaluation view out, drawn by the Worker (`evaluation-route.ts`) into `#evaluation-result`.
 */
import { html } from 'hono/html';

export const evaluationSection = html`<section id="evaluation" aria-labelledby="evaluation-heading">
  <style>
    @media (min-width: 48rem) {
      #evaluation {
        grid-column: 1 / -1;
      }
    }
  </style>
  <h2 id="evaluation-heading">Evaluation</h2>
  <p>
    Score a labelled set with the task as it is, with the weights above (nothing is stored): the confusion
    matrix, precision/recall/F1 per label, reliability, conformal coverage, abstention and each modality's
    share.
  </p>
  <label for="evaluation-set"
    >Labelled set: one <code>label: text</code> a line, or the evaluate body as JSON</label
  >
  <textarea id="evaluation-set" rows="6" placeholder="red: a red apple&#10;blue: a clear blue sky"></textarea>
  <button type="button" id="evaluate">Evaluate</button>
  <div id="evaluation-result" aria-live="polite"></div>
</section>`;
