/**
 * @module
 * The evaluation view: one HTML fragment, its stylesheet inside, that the playground shows (rendered by the
 * Worker, `POST /playground/evaluation`) and `modalfuse evaluate --report` wraps into a file (`page.ts`). Every
 * picture is inline SVG from `svg.ts`; nothing is fetched. A part the answer lacks is named, not drawn empty.
 */
import { abstentionCurve, coverageCurve, reliabilityDiagram } from './curves.ts';
import type { ReportInput, Row } from './input.ts';
import { confusionMatrix, perLabelTable, sharesChart } from './matrix.ts';
import { escape, fixed, tag } from './svg.ts';

export const viewStyle = String.raw`
.ev { --ev-muted: #8886; font: 15px/1.45 system-ui, sans-serif; }
.ev-grid { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr)); }
.ev figure { margin: 0; border: 1px solid var(--ev-muted); border-radius: .5rem; padding: .5rem .75rem; min-width: 0; }
.ev figcaption { font-weight: 600; margin-bottom: .25rem; }
/* Drawn at their own size (the width and height attributes), shrunk to a narrow column, never blown up. */
.ev svg { display: block; max-width: 100%; height: auto; font-size: 11px; fill: currentColor; }
.ev svg text { fill: currentColor; }
.ev .grid { stroke: var(--ev-muted); stroke-width: .5; }
.ev .axis { stroke: currentColor; }
.ev .ideal { stroke: #888; stroke-dasharray: 4 3; }
.ev .ev-line { stroke-width: 2; }
.ev .ev-cell { stroke: var(--ev-muted); }
.ev .ev-share { fill: #0072b2; }
.ev-table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: .9rem; display: block; overflow-x: auto; }
.ev-table th, .ev-table td { padding: .15rem .5rem; text-align: right; border-bottom: 1px solid var(--ev-muted); }
.ev-table th[scope=row] { text-align: left; }
.ev-legend { list-style: none; padding: 0; margin: .25rem 0; display: flex; flex-wrap: wrap; gap: .25rem .75rem; font-size: .85rem; }
.ev-swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: .15rem; margin-right: .3rem; vertical-align: -.1rem; }
.ev-note { font-size: .85rem; color: #777; margin: .25rem 0; }
`;

function figure(id: string, caption: string, body: string): string {
  return tag('figure', { id }, tag('figcaption', {}, escape(caption)), body);
}

function missing(id: string, caption: string, why: string): string {
  return figure(id, caption, tag('p', { class: 'ev-note ev-missing' }, escape(why)));
}

function metricsTable(rows: readonly Row[], title: string, recommended?: string): string {
  const head = tag(
    'tr',
    {},
    ...[title, 'items', 'accuracy', 'macro-F1', 'log-loss'].map((h) => tag('th', {}, h)),
  );
  const body = rows.map((r) =>
    tag(
      'tr',
      { 'data-name': r.name },
      tag('th', { scope: 'row' }, escape(r.name + (r.name === recommended ? ' ★' : ''))),
      tag('td', {}, String(r.n)),
      ...[r.accuracy, r.macroF1, r.logLoss].map((v) => tag('td', {}, fixed(v))),
    ),
  );
  return tag('table', { class: 'ev-table' }, tag('thead', {}, head), tag('tbody', {}, ...body));
}

const older = 'not in this answer (an API without the evaluation route, or an older one)';

export function evaluationView(input: ReportInput): string {
  const { detail, coverage, abstention } = input;
  const title = `Evaluation${input.task ? ` of ${input.task}` : ''}`;
  const facts = [
    input.items === undefined ? '' : `${input.items} item(s)`,
    input.source ?? '',
    input.recommended ? `recommended strategy: ${input.recommended} ★` : '',
  ].filter(Boolean);
  const decisions = detail ? ` (${detail.strategy}, ${detail.n} items)` : '';
  const figures = [
    figure(
      'ev-metrics',
      'Accuracy per strategy and modality',
      metricsTable(input.strategies, 'strategy', input.recommended) +
        metricsTable(input.modalities, 'modality'),
    ),
    detail
      ? figure('ev-confusion', `Confusion matrix${decisions}`, confusionMatrix(detail))
      : missing('ev-confusion', 'Confusion matrix', older),
    detail
      ? figure('ev-per-label', `Precision, recall and F1 per label${decisions}`, perLabelTable(detail))
      : missing('ev-per-label', 'Per label', older),
    detail
      ? figure('ev-reliability', `Reliability${decisions}`, reliabilityDiagram(detail))
      : missing('ev-reliability', 'Reliability', older),
    coverage
      ? figure(
          'ev-coverage',
          'Conformal coverage',
          coverageCurve([...coverage.strategies, ...coverage.modalities]),
        )
      : missing('ev-coverage', 'Conformal coverage', older),
    abstention
      ? figure('ev-abstention', 'Accuracy as the task abstains', abstentionCurve(abstention))
      : missing('ev-abstention', 'Abstention', older),
    detail
      ? figure('ev-shares', `Each modality's share of the decisions${decisions}`, sharesChart(detail))
      : missing('ev-shares', 'Shares of the decisions', older),
  ];
  return tag(
    'div',
    { class: 'ev', id: 'evaluation-view' },
    tag('style', {}, viewStyle),
    tag('h2', {}, escape(title)),
    tag('p', {}, escape(facts.join(' · '))),
    tag('div', { class: 'ev-grid' }, ...figures),
  );
}
