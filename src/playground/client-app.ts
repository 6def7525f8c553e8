/**
 * @module
 * Browser code (served as-is) for the playground's API calls and charts: tasks, teaching, classifying with the
 * chosen strategy and weights, and rendering scores, weights and `Server-Timing` stages as bars. API errors
 * (problem+json) are shown in words in the alert box, never swallowed.
 */
export const clientApp = String.raw`
const $ = (id) => document.getElementById(id);
let lastClassified = false;

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = !message;
  // The alert sits above the forms: bring it into view, since the control that failed may be far below it.
  if (message) $('error').scrollIntoView({ block: 'nearest' });
}

async function run(work) {
  const buttons = document.querySelectorAll('main button');
  // Disabling the focused button drops focus to the page's start; it is given back below, so that a keyboard
  // user stays where they were.
  const focused = document.activeElement;
  buttons.forEach((button) => { button.disabled = true; });
  try {
    showError('');
    $('status').textContent = 'Working…';
    await work();
    if ($('status').textContent === 'Working…') $('status').textContent = '';
  } catch (error) {
    showError(error.message || String(error));
    $('status').textContent = '';
  } finally {
    buttons.forEach((button) => { button.disabled = false; });
    const lost = !document.activeElement || document.activeElement === document.body;
    if (lost && focused && focused.isConnected && focused !== document.body) focused.focus();
  }
}

async function api(path, init = {}) {
  const key = $('api-key').value.trim();
  const headers = { ...(key ? { authorization: 'Bearer ' + key } : {}), ...init.headers };
  let response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (error) {
    throw new Error('the API could not be reached (' + error.message + ')');
  }
  if (response.ok) return response;
  const body = await response.json().catch(() => ({}));
  const detail = body.detail || (body.error && body.error.message) || response.statusText;
  throw new Error((body.title || 'Error ' + response.status) + ': ' + detail);
}

async function loadTasks(selected) {
  const page = await (await api('/v1/tasks?limit=1000')).json();
  const picker = $('task');
  picker.replaceChildren(...page.data.map((task) => new Option(task.id, task.id)));
  if (selected) picker.value = selected;
  await showTask();
}

// The modalities of the task shown: only theirs have a weight slider, and only theirs are sent as weights.
let taskModalities = [];
function showWeightsOf(modalities) {
  taskModalities = modalities;
  document.querySelectorAll('input[data-modality]').forEach((input) => {
    input.closest('.weight').hidden = !modalities.includes(input.dataset.modality);
  });
}

async function showTask() {
  const id = $('task').value;
  if (!id) {
    $('task-info').textContent = 'No task yet: create one below.';
    $('example-label').replaceChildren();
    return;
  }
  const task = await (await api('/v1/tasks/' + encodeURIComponent(id))).json();
  $('example-label').replaceChildren(...task.labels.map((label) => new Option(label, label)));
  showWeightsOf(Object.keys(task.modalities));
  const counts = Object.entries(task.modalities).map(([name, m]) => name + ' ' + m.examples);
  $('task-info').textContent = 'Labels: ' + task.labels.join(', ') + '. Examples: ' + counts.join(', ') + '.';
}

async function createTask(event) {
  event.preventDefault();
  const id = $('new-task-id').value.trim();
  const labels = $('new-task-labels').value.split(',').map((label) => label.trim()).filter(Boolean);
  await api('/v1/tasks', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, labels }),
  });
  await loadTasks(id);
  $('status').textContent = 'Created task ' + id + '.';
}

function itemForm() {
  const form = new FormData();
  const text = $('text').value.trim();
  if (text) form.set('text', text);
  if (media.image) form.set('image', media.image, media.image.name || 'image');
  if (media.audio) form.set('audio', media.audio, 'audio.wav');
  if (media.video) form.set('video', media.video, media.video.name || 'video.webm');
  if ([...form.keys()].length === 0) throw new Error('Give the item some text, an image, audio or a video first.');
  return form;
}

function requireTask() {
  const id = $('task').value;
  if (!id) throw new Error('Pick or create a task first.');
  return id;
}

async function teach() {
  const id = requireTask();
  const form = itemForm();
  form.set('label', $('example-label').value);
  await api('/v1/tasks/' + encodeURIComponent(id) + '/examples', { method: 'POST', body: form });
  await showTask();
  $('status').textContent = 'Added an example of ' + form.get('label') + ' to ' + id + '.';
}

function fusionConfig() {
  const weights = {};
  document.querySelectorAll('input[data-modality]').forEach((input) => {
    if (taskModalities.includes(input.dataset.modality)) weights[input.dataset.modality] = Number(input.value);
  });
  return { strategy: $('strategy').value, weights };
}

// Stages with a duration become bars (a stage timed more than once, as a cascade's rounds are, summed); metrics
// with only a description (the edge cache's hit or miss) are notes. The request's plumbing stays in the header
// for tools (bench:edge); the chart shows the pipeline.
const plumbing = ['validate', 'auth', 'ratelimit', 'cache-lookup'];

function parseServerTiming(header) {
  const timing = { stages: [], notes: [] };
  for (const entry of (header || '').split(',')) {
    const [name, ...params] = entry.split(';').map((part) => part.trim());
    const duration = params.map((p) => /^dur=([\d.]+)$/.exec(p)).find(Boolean);
    const description = params.map((p) => /^desc="?([^"]*)"?$/.exec(p)).find(Boolean);
    const stage = timing.stages.find((known) => known.label === name);
    if (name && duration && plumbing.includes(name)) continue;
    else if (name && duration && stage) stage.score += Number(duration[1]);
    else if (name && duration) timing.stages.push({ label: name, score: Number(duration[1]) });
    else if (name && description) timing.notes.push(name + ': ' + description[1]);
  }
  return timing;
}

function chart(id, caption, rows, format) {
  const figure = document.createElement('figure');
  figure.id = id;
  const title = document.createElement('figcaption');
  title.textContent = caption;
  figure.append(title);
  const top = Math.max(1e-9, ...rows.map((row) => row.score));
  for (const row of rows) {
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.setAttribute('role', 'img');
    bar.setAttribute('aria-label', row.label + ' ' + format(row.score));
    bar.dataset.score = String(row.score);
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = row.label;
    const track = document.createElement('span');
    track.className = 'track';
    const fill = document.createElement('span');
    fill.className = 'fill';
    fill.style.width = Math.min(100, (row.score / top) * 100) + '%';
    track.append(fill);
    const value = document.createElement('span');
    value.className = 'value';
    value.textContent = format(row.score);
    bar.append(name, track, value);
    figure.append(bar);
  }
  return figure;
}

function render(result, timing) {
  const score = (value) => value.toFixed(3);
  $('fused-label').textContent = 'Fused: ' + result.label + ' (' + result.fusion.strategy + ')';
  const charts = [chart('chart-fused', 'Fused scores', result.scores, score)];
  for (const [name, modality] of Object.entries(result.modalities)) {
    charts.push(chart('chart-' + name, name + ': ' + modality.label + ' (weight ' + score(modality.weight) + ')',
      modality.scores, score));
  }
  const weights = Object.entries(result.fusion.weights).map(([label, value]) => ({ label, score: value }));
  charts.push(chart('chart-weights', 'Weights (normalised)', weights, score));
  const latency = chart('chart-timing', 'Latency per stage (ms)', timing.stages, (ms) => ms.toFixed(1) + ' ms');
  if (timing.notes.length > 0) {
    const notes = document.createElement('p');
    notes.id = 'timing-notes';
    notes.textContent = timing.notes.join(', ');
    latency.append(notes);
  }
  charts.push(latency);
  if (result.missing.length > 0) {
    const missing = document.createElement('p');
    missing.className = 'missing';
    missing.id = 'missing';
    missing.textContent = 'Not used: ' + result.missing.map((m) => m.modality + ' (' + (m.reason === 'invalid-input' ? m.detail : m.reason) + ')').join(', ');
    charts.push(missing);
  }
  $('charts').replaceChildren(...charts);
}

async function classify() {
  const form = itemForm();
  form.set('task', requireTask());
  form.set('fusion', JSON.stringify(fusionConfig()));
  const response = await api('/v1/classify', { method: 'POST', body: form });
  render(await response.json(), parseServerTiming(response.headers.get('server-timing')));
  lastClassified = true;
  $('status').textContent = 'Classified.';
}

let pending = 0;
function reclassify() {
  document.querySelectorAll('input[data-modality]').forEach((input) => {
    $(input.id + '-value').textContent = input.value;
  });
  if (!lastClassified) return;
  clearTimeout(pending);
  pending = setTimeout(() => run(classify), 150);
}

function wireApp() {
  $('create-task').addEventListener('submit', (event) => run(() => createTask(event)));
  $('task').addEventListener('change', () => run(showTask));
  // With keys configured the first load was refused (and said so): a key given now loads the tasks.
  $('api-key').addEventListener('change', () => run(() => loadTasks($('task').value)));
  $('teach').addEventListener('click', () => run(teach));
  // The answer sits below the forms: bring it into view (focus stays on the button).
  $('classify').addEventListener('click', () =>
    run(async () => { await classify(); $('result').scrollIntoView({ block: 'nearest' }); }));
  $('strategy').addEventListener('change', reclassify);
  document.querySelectorAll('input[data-modality]').forEach((input) => input.addEventListener('input', reclassify));
}
`;

/** The whole script: the app's helpers first, since the media code uses `$` and `run`. */
export const clientMain = String.raw`
wireApp();
wireMedia();
run(() => loadTasks());
`;
