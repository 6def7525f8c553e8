/**
 * @module
 * The smallest markup writer the evaluation view needs: escaped text and attributes, elements as strings. Strings,
 * not DOM, so that the same charts are drawn in the Worker (the playground) and in Node (the CLI's report file).
 */
const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escape(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => entities[c] ?? c);
}

export type Attributes = Readonly<Record<string, string | number | undefined>>;

/** `<name attrs>children</name>`; children are markup (already escaped), attributes are escaped here. */
export function tag(name: string, attributes: Attributes, ...children: string[]): string {
  const attrs = Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${escape(value ?? '')}"`)
    .join('');
  return `<${name}${attrs}>${children.join('')}</${name}>`;
}

/** A number as the view shows it: fixed digits, or "n/a" for none. */
export function fixed(value: number | null | undefined, digits = 3): string {
  return value == null || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
}

/** The colours of the series (colour-blind-safe, after Okabe & Ito). */
export const palette = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#f0e442',
  '#000',
  '#999',
  '#7f3c8d',
];

export const colourOf = (index: number): string => palette[index % palette.length] ?? '#000';
