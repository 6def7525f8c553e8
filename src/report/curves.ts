/**
 * @module
 * The view's curves, each on the one frame of `plot.ts`: the reliability diagram (accuracy per confidence bin,
 * with the refit's temperatures and without, against the diagonal), the coverage curve (empirical coverage of the
 * conformal sets at each target level, with their mean size) and the accuracy–abstention curve.
 */
import type { CoverageRow, Curve, Detail } from './input.ts';
import { diagonal, percent, plot, type Frame } from './plot.ts';
import { colourOf, escape, fixed, tag } from './svg.ts';

const tenths = [0, 0.2, 0.4, 0.6, 0.8, 1];

export function legend(entries: readonly { name: string; colour: string; note?: string }[]): string {
  const items = entries.map((e) =>
    tag(
      'li',
      {},
      tag('span', { class: 'ev-swatch', style: `background:${e.colour}` }),
      escape(e.name + (e.note ? ` (${e.note})` : '')),
    ),
  );
  return tag('ul', { class: 'ev-legend' }, ...items);
}

export function reliabilityDiagram({ reliability }: Detail): string {
  const series = [
    {
      name: 'calibrated',
      bins: reliability.calibrated,
      colour: colourOf(0),
      ece: reliability.ece.calibrated,
    },
    {
      name: 'uncalibrated',
      bins: reliability.uncalibrated,
      colour: colourOf(1),
      ece: reliability.ece.uncalibrated,
    },
  ];
  const marks = (f: Frame) =>
    diagonal(f, 0, 1) +
    series
      .map(({ name, bins, colour }, s) =>
        bins
          .map((b) => {
            const half = (b.upper - b.lower) / 2;
            const x0 = b.lower + s * half;
            const accuracy = b.accuracy ?? 0;
            return tag(
              'rect',
              {
                x: f.x(x0),
                y: f.y(accuracy),
                width: Math.max(0, f.x(x0 + half) - f.x(x0) - 1),
                height: f.y(0) - f.y(accuracy),
                fill: colour,
                class: 'ev-bin',
                'data-series': name,
                'data-lower': b.lower,
                'data-n': b.n,
                'data-accuracy': b.accuracy ?? '',
                'data-confidence': b.confidence ?? '',
              },
              tag(
                'title',
                {},
                `${name}, ${b.lower}–${b.upper}: ${b.n} item(s), accuracy ${fixed(b.accuracy)}`,
              ),
            );
          })
          .join(''),
      )
      .join('');
  const axis = (label: string) => ({ label, domain: [0, 1] as const, ticks: tenths });
  return (
    plot('reliability diagram', axis('fused confidence'), axis('accuracy'), marks) +
    legend(series.map((s) => ({ name: s.name, colour: s.colour, note: `ECE ${fixed(s.ece)}` })))
  );
}

function lines(
  f: Frame,
  named: readonly {
    name: string;
    points: readonly { x: number; y: number | null; data: Record<string, number | string> }[];
  }[],
): string {
  return named
    .map(({ name, points }, i) => {
      const drawn = points.filter((p): p is typeof p & { y: number } => p.y !== null);
      const colour = colourOf(i);
      const path = tag('polyline', {
        points: drawn.map((p) => `${f.x(p.x)},${f.y(p.y)}`).join(' '),
        fill: 'none',
        stroke: colour,
        class: 'ev-line',
      });
      const dots = drawn.map((p) =>
        tag(
          'circle',
          { cx: f.x(p.x), cy: f.y(p.y), r: 3, fill: colour, class: 'ev-point', 'data-name': name, ...p.data },
          tag(
            'title',
            {},
            escape(
              `${name}: ${Object.entries(p.data)
                .map(([k, v]) => `${k.slice(5)} ${v}`)
                .join(', ')}`,
            ),
          ),
        ),
      );
      return path + dots.join('');
    })
    .join('');
}

const floorOf = (values: readonly (number | null)[]) =>
  Math.min(0.5, Math.floor(Math.min(1, ...values.filter((v): v is number => v !== null)) * 10) / 10);

export function coverageCurve(rows: readonly CoverageRow[]): string {
  const names = [...new Set(rows.map((r) => r.name))];
  const named = names.map((name) => ({
    name,
    points: rows
      .filter((r) => r.name === name)
      .map((r) => ({
        x: r.level,
        y: r.coverage,
        data: { 'data-level': r.level, 'data-coverage': r.coverage ?? '', 'data-size': r.meanSetSize ?? '' },
      })),
  }));
  const low = floorOf(rows.map((r) => r.coverage));
  const x = {
    label: 'target coverage',
    domain: [0.75, 1] as const,
    ticks: [0.8, 0.9, 0.95, 1],
    format: percent,
  };
  const ticks = tenths.filter((t) => t >= low);
  const y = { label: 'empirical coverage', domain: [low, 1] as const, ticks, format: percent };
  const levels = [...new Set(rows.map((r) => r.level))];
  const head = tag(
    'tr',
    {},
    tag('th', {}, 'coverage · mean set size'),
    ...levels.map((l) => tag('th', {}, percent(l))),
  );
  const body = names.map((name) =>
    tag(
      'tr',
      { 'data-name': name },
      tag('th', { scope: 'row' }, escape(name)),
      ...levels.map((level) => {
        const r = rows.find((row) => row.name === name && row.level === level);
        const calibrated = r && r.calibrated < r.n ? ` (${r.calibrated}/${r.n} calibrated)` : '';
        return tag('td', {}, r ? `${fixed(r.coverage)} · ${fixed(r.meanSetSize, 2)}${calibrated}` : 'n/a');
      }),
    ),
  );
  return (
    plot('coverage curve', x, y, (f) => diagonal(f, Math.max(0.75, low), 1) + lines(f, named)) +
    legend(named.map((n, i) => ({ name: n.name, colour: colourOf(i) }))) +
    tag('table', { class: 'ev-table' }, tag('thead', {}, head), tag('tbody', {}, ...body))
  );
}

export function abstentionCurve(curves: readonly Curve[]): string {
  const named = curves.map(({ name, points }) => ({
    name,
    points: points.map((p) => ({
      x: p.abstain,
      y: p.accuracy,
      data: { 'data-abstain': p.abstain, 'data-accuracy': p.accuracy ?? '', 'data-kept': p.kept },
    })),
  }));
  const low = floorOf(curves.flatMap((c) => c.points.map((p) => p.accuracy)));
  const x = {
    label: 'abstaining on (least confident first)',
    domain: [0, 0.5] as const,
    ticks: [0, 0.1, 0.2, 0.3, 0.4, 0.5],
    format: percent,
  };
  const y = {
    label: 'accuracy of the rest',
    domain: [low, 1] as const,
    ticks: tenths.filter((t) => t >= low),
    format: percent,
  };
  return (
    plot('accuracy–abstention curve', x, y, (f) => lines(f, named)) +
    legend(named.map((n, i) => ({ name: n.name, colour: colourOf(i) })))
  );
}
