/**
 * @module
 * Browser code (served as-is, after the app's helpers `$`, `api`, `run`, `requireTask`, `fusionConfig`) for the
 * evaluation section: the set is read, `POST /v1/tasks/{id}/evaluate` scores it, and the Worker draws the answer
 * (`POST /playground/evaluation`) with the renderer the CLI's report uses, so both show the same pictures.
 */
export const clientEvaluation = String.raw`
function evaluationExamples(source) {
  const text = source.trim();
  if (!text) throw new Error('Give a labelled set first: one "label: text" a line.');
  if (text.startsWith('{') || text.startsWith('[')) {
    let parsed;
    try { parsed = JSON.parse(text); } catch (error) { throw new Error('The set is not valid JSON: ' + error.message); }
    return Array.isArray(parsed) ? parsed : parsed.examples;
  }
  return text.split('\n').filter((line) => line.trim()).map((line, i) => {
    const at = line.search(/[:\t]/);
    if (at < 1) throw new Error('Line ' + (i + 1) + ' is not "label: text": ' + line);
    return { label: line.slice(0, at).trim(), inputs: { text: line.slice(at + 1).trim() } };
  });
}

async function evaluateSet() {
  const id = requireTask();
  const examples = evaluationExamples($('evaluation-set').value);
  const task = await (await api('/v1/tasks/' + encodeURIComponent(id))).json();
  // The task refuses weights of modalities it does not have.
  const weights = Object.fromEntries(Object.entries(fusionConfig().weights).filter(([m]) => m in task.modalities));
  const json = { 'content-type': 'application/json' };
  const answer = await (await api('/v1/tasks/' + encodeURIComponent(id) + '/evaluate', {
    method: 'POST', headers: json, body: JSON.stringify({ examples, weights }),
  })).json();
  const view = await api('/playground/evaluation', {
    method: 'POST', headers: json, body: JSON.stringify({ ...answer, task: id, items: examples.length }),
  });
  $('evaluation-result').innerHTML = await view.text();
  $('status').textContent = 'Evaluated ' + examples.length + ' item(s).';
}

$('evaluate').addEventListener('click', () => run(evaluateSet));
`;
