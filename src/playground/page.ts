/**
 * @module
 * The playground's HTML (Hono's `html` template, which escapes every interpolated value): a task picker and
 * creator, the item's text, image and audio, the fusion strategy and weights, and an empty result area the
 * script fills. Every control has a label, so the page is usable by keyboard and screen reader.
 */
import { html, raw } from 'hono/html';
import { evaluationSection } from './evaluation-section.ts';
import { playgroundStyle } from './style.ts';

export interface PageOptions {
  /** The fusion strategies the API knows, the default first. */
  readonly strategies: readonly string[];
  /** The modalities whose weight can be set. */
  readonly modalities: readonly string[];
}

function weightSliders(modalities: readonly string[]) {
  return modalities.map(
    (modality) =>
      html`<div class="weight">
        <label for="weight-${modality}">${modality}</label>
        <input
          type="range"
          id="weight-${modality}"
          data-modality="${modality}"
          min="0"
          max="4"
          step="0.5"
          value="1"
        />
        <output for="weight-${modality}" id="weight-${modality}-value">1</output>
      </div>`,
  );
}

const taskSection = html`<section aria-labelledby="task-heading">
  <h2 id="task-heading">Task</h2>
  <label for="task">Task</label>
  <select id="task"></select>
  <p id="task-info"></p>
  <details>
    <summary>Create a task</summary>
    <form id="create-task">
      <label for="new-task-id">Id</label>
      <input
        type="text"
        id="new-task-id"
        required
        pattern="[A-Za-z0-9][A-Za-z0-9._-]{0,127}"
        placeholder="colours"
      />
      <label for="new-task-labels">Labels (comma-separated)</label>
      <input type="text" id="new-task-labels" required placeholder="red, blue" />
      <button type="submit">Create</button>
    </form>
  </details>
  <details>
    <summary>API key</summary>
    <label for="api-key">Bearer key (only if the API requires one)</label>
    <input type="password" id="api-key" autocomplete="off" />
  </details>
</section>`;

const itemSection = html`<section aria-labelledby="item-heading">
  <h2 id="item-heading">Item</h2>
  <label for="text">Text</label>
  <textarea id="text" placeholder="a ripe red apple"></textarea>
  <label for="image">Image (pick or drop)</label>
  <div class="drop" id="image-drop">
    <input type="file" id="image" accept="image/png,image/jpeg" />
    <div class="preview"><img id="image-preview" alt="" hidden /><span id="image-name"></span></div>
  </div>
  <label for="audio">Audio (upload or record; sent as 16-bit PCM WAV)</label>
  <input type="file" id="audio" accept="audio/*" />
  <button type="button" class="secondary" id="record" aria-pressed="false">Record</button>
  <div class="preview"><audio id="audio-preview" controls hidden></audio><span id="audio-name"></span></div>
  <label for="video"
    >Video (upload, or record from the camera; for tasks with video.frames / video.audio)</label
  >
  <input type="file" id="video" accept="video/*" />
  <button type="button" class="secondary" id="record-video" aria-pressed="false">Record video</button>
  <div class="preview">
    <video id="video-preview" controls muted playsinline hidden></video><span id="video-name"></span>
  </div>
  <fieldset>
    <legend>Ready examples</legend>
    <button type="button" class="secondary" data-example="red">Red item</button>
    <button type="button" class="secondary" data-example="blue">Blue item</button>
    <button type="button" class="secondary" data-example="mixed">Mixed item (red words, blue picture)</button>
    <button type="button" class="secondary" id="clear">Clear</button>
  </fieldset>
  <button type="button" id="classify">Classify</button>
  <label for="example-label">Label for teaching</label>
  <select id="example-label"></select>
  <button type="button" class="secondary" id="teach">Add as example</button>
</section>`;

export function playgroundPage(options: PageOptions) {
  const strategyOptions = options.strategies.map((name) => html`<option value="${name}">${name}</option>`);
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>ModalFuse playground</title>
        <style>
          ${raw(playgroundStyle)}
        </style>
      </head>
      <body>
        <header>
          <h1>ModalFuse playground</h1>
          <p>Teach a task with examples, classify text + image + audio, and see how each modality votes.</p>
        </header>
        <div id="error" role="alert" hidden></div>
        <p id="status" role="status" aria-live="polite"></p>
        <main>
          ${taskSection} ${itemSection}
          <section aria-labelledby="fusion-heading">
            <h2 id="fusion-heading">Fusion</h2>
            <label for="strategy">Strategy</label>
            <select id="strategy">
              ${strategyOptions}
            </select>
            <fieldset>
              <legend>Weights</legend>
              ${weightSliders(options.modalities)}
            </fieldset>
          </section>
          <section id="result" aria-labelledby="result-heading" aria-live="polite">
            <h2 id="result-heading">Result</h2>
            <p id="fused-label">Nothing classified yet.</p>
            <div class="charts" id="charts"></div>
          </section>
          ${evaluationSection}
        </main>
        <script type="module" src="/playground.js"></script>
      </body>
    </html>`;
}
