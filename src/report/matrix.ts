/**
 * @module
 * The recommended strategy's decisions: the confusion matrix (true label per row, predicted per column, shaded by
 * the row's share), precision/recall/F1 per label, and each modality's share of the decisions as bars.
 */
import type { Detail } from './input.ts';
import { escape, fixed, tag } from './svg.ts';

/** Past this many labels the matrix shows those with the most items (a 5,000-label grid is no picture). */
export const maxDrawnLabels = 25;

const short = (label: string) => (label.length > 14 ? `${label.slice(0, 13)}…` : label);

export function confusionMatrix(detail: Detail): string {
  const weight = (label: string) =>
    detail.confusion.reduce((s, c) => s + (c.truth === label || c.predicted === label ? c.count : 0), 0);
  const all = detail.perLabel.map((l) => l.label);
  const drawn = new Set([...all].sort((a, b) => weight(b) - weight(a)).slice(0, maxDrawnLabels));
  const labels = all.filter((l) => drawn.has(l));
  const cell = Math.max(16, Math.min(40, Math.floor(420 / Math.max(1, labels.length))));
  const [left, top] = [100, 100];
  const count = (t: string, p: string) =>
    detail.confusion.find((c) => c.truth === t && c.predicted === p)?.count ?? 0;
  const rows = labels.map((truth, r) => {
    const total = labels.reduce((s, p) => s + count(truth, p), 0) || 1;
    const cells = labels.map((predicted, c) => {
      const n = count(truth, predicted);
      const [x, y] = [left + c * cell, top + r * cell];
      const fill = truth === predicted ? '#0072b2' : '#d55e00';
      return (
        tag('rect', {
          x,
          y,
          width: cell,
          height: cell,
          class: 'ev-cell',
          fill: n ? fill : 'none',
          'fill-opacity': n ? (0.15 + 0.85 * (n / total)).toFixed(2) : undefined,
          'data-truth': truth,
          'data-predicted': predicted,
          'data-count': n,
        }) +
        (n ? tag('text', { x: x + cell / 2, y: y + cell / 2 + 4, 'text-anchor': 'middle' }, String(n)) : '')
      );
    });
    const name = tag(
      'text',
      { x: left - 6, y: top + r * cell + cell / 2 + 4, 'text-anchor': 'end' },
      escape(short(truth)),
    );
    return name + cells.join('');
  });
  const heads = labels.map((p, c) => {
    const [x, y] = [left + c * cell + cell / 2, top - 6];
    return tag('text', { x, y, transform: `rotate(-45 ${x} ${y})` }, escape(short(p)));
  });
  const [width, height] = [left + labels.length * cell + 10, top + labels.length * cell + 10];
  const svg = tag(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'aria-label': 'confusion matrix',
      class: 'ev-matrix',
    },
    ...heads,
    ...rows,
  );
  const note =
    labels.length < all.length
      ? tag('p', {}, `The ${labels.length} labels with the most items of ${all.length}.`)
      : '';
  return svg + note + tag('p', { class: 'ev-note' }, 'Rows: the true label; columns: the predicted one.');
}

export function perLabelTable(detail: Detail): string {
  const head = tag('tr', {}, ...['label', 'items', 'precision', 'recall', 'F1'].map((h) => tag('th', {}, h)));
  const rows = detail.perLabel.map((l) =>
    tag(
      'tr',
      { 'data-label': l.label },
      tag('th', { scope: 'row' }, escape(l.label)),
      tag('td', {}, String(l.support)),
      tag('td', {}, fixed(l.precision)),
      tag('td', {}, fixed(l.recall)),
      tag('td', {}, fixed(l.f1)),
    ),
  );
  return tag('table', { class: 'ev-table' }, tag('thead', {}, head), tag('tbody', {}, ...rows));
}

export function sharesChart(detail: Detail): string {
  const [left, width, row] = [90, 360, 26];
  const bars = detail.shares.map((s, i) => {
    const y = 6 + i * row;
    const length = Math.round(s.share * (width - left - 60));
    return (
      tag('text', { x: left - 6, y: y + 14, 'text-anchor': 'end' }, escape(short(s.modality))) +
      tag('rect', {
        x: left,
        y,
        width: Math.max(1, length),
        height: row - 8,
        class: 'ev-share',
        'data-modality': s.modality,
        'data-share': s.share,
        'data-agreed': s.agreed,
      }) +
      tag('text', { x: left + length + 4, y: y + 14 }, `${Math.round(s.share * 100)}%`)
    );
  });
  const height = 12 + detail.shares.length * row;
  const svg = tag(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'aria-label': "modalities' shares",
      class: 'ev-bars',
    },
    ...bars,
  );
  const words = detail.shares.map(
    (s) => `${s.modality} agrees with ${Math.round(s.agreed * 100)}% of the ${s.n} decisions it had a say in`,
  );
  return svg + tag('p', { class: 'ev-note' }, escape(`${words.join('; ')}.`));
}
