/**
 * @module
 * One x–y frame for every curve of the view (reliability, coverage, abstention): fixed-size SVG with a viewBox (so
 * it scales to its column), both axes with ticks, and a `map` from data to pixels for the marks drawn inside.
 */
import { escape, tag } from './svg.ts';

export const size = { width: 360, height: 250, left: 46, right: 12, top: 12, bottom: 40 } as const;

export interface Axis {
  readonly label: string;
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
  readonly format?: (value: number) => string;
}

export interface Frame {
  readonly x: (value: number) => number;
  readonly y: (value: number) => number;
}

const scale =
  ([d0, d1]: readonly [number, number], r0: number, r1: number) =>
  (v: number) =>
    Math.round((r0 + ((v - d0) / (d1 - d0 || 1)) * (r1 - r0)) * 10) / 10;

/** The frame's two scales. */
export function frameOf(x: Axis, y: Axis): Frame {
  const { width, height, left, right, top, bottom } = size;
  return { x: scale(x.domain, left, width - right), y: scale(y.domain, height - bottom, top) };
}

function axes(frame: Frame, x: Axis, y: Axis): string {
  const { width, height, left, bottom, top } = size;
  const fx = x.format ?? String;
  const fy = y.format ?? String;
  const xTicks = x.ticks.map((t) =>
    tag('text', { x: frame.x(t), y: height - bottom + 14, 'text-anchor': 'middle' }, escape(fx(t))),
  );
  const yTicks = y.ticks.map(
    (t) =>
      tag('line', { x1: left, x2: width - size.right, y1: frame.y(t), y2: frame.y(t), class: 'grid' }) +
      tag('text', { x: left - 4, y: frame.y(t) + 4, 'text-anchor': 'end' }, escape(fy(t))),
  );
  return [
    ...yTicks,
    ...xTicks,
    tag('line', {
      x1: left,
      x2: width - size.right,
      y1: height - bottom,
      y2: height - bottom,
      class: 'axis',
    }),
    tag('line', { x1: left, x2: left, y1: top, y2: height - bottom, class: 'axis' }),
    tag('text', { x: (left + width) / 2, y: height - 6, 'text-anchor': 'middle' }, escape(x.label)),
    tag(
      'text',
      {
        x: 12,
        y: (top + height - bottom) / 2,
        transform: `rotate(-90 12 ${(top + height - bottom) / 2})`,
        'text-anchor': 'middle',
      },
      escape(y.label),
    ),
  ].join('');
}

/** An SVG chart: the axes, then `marks` drawn with the frame's scales. */
export function plot(label: string, x: Axis, y: Axis, marks: (frame: Frame) => string): string {
  const frame = frameOf(x, y);
  const { width, height } = size;
  return tag(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': label, class: 'plot' },
    axes(frame, x, y),
    marks(frame),
  );
}

/** The line y = x, from the lower to the upper bound: where a calibrated or covering mark should lie. */
export function diagonal(frame: Frame, from: number, to: number): string {
  return tag('line', {
    x1: frame.x(from),
    y1: frame.y(from),
    x2: frame.x(to),
    y2: frame.y(to),
    class: 'ideal',
  });
}

export const percent = (v: number): string => `${Math.round(v * 100)}%`;
