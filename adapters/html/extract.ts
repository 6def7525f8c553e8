/**
 * @module
 * Visible text of an HTML document, for both faces of the html adapter: comments, `<script>`, `<style>`,
 * `<template>` and `<noscript>` bodies dropped, tags removed (block-level ones become line breaks), character
 * references decoded (named ones for the common entities, all numeric ones), whitespace collapsed, Unicode NFC.
 * One forward scan with `indexOf` that never looks at a character twice: a regular expression per kind of markup
 * rescans the rest of the page from every `<` that has no `>` after it, so `"<a".repeat(n)` took O(n²).
 */

const hiddenNames = new Set(['script', 'style', 'template', 'noscript']);
const blockNames = new Set(
  'p div br li ul ol h1 h2 h3 h4 h5 h6 tr td th table section article header footer title blockquote pre'.split(
    ' ',
  ),
);
const tagStart = /^<\/?[a-zA-Z!?]/;
const tagName = /^<(\/?)([a-zA-Z][a-zA-Z0-9]*)/;
const named: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  copy: '©',
  reg: '®',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  laquo: '«',
  raquo: '»',
  eacute: 'é',
  egrave: 'è',
  agrave: 'à',
  ccedil: 'ç',
  uuml: 'ü',
  ouml: 'ö',
  auml: 'ä',
  szlig: 'ß',
};

function decodeReference(reference: string, body: string): string {
  if (body.startsWith('#')) {
    const code =
      body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    const valid = Number.isInteger(code) && code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
    return valid ? String.fromCodePoint(code) : '\uFFFD';
  }
  return named[body.toLowerCase()] ?? reference;
}

/** Where the body of a hidden element opened at `from` ends (past its closing tag), or -1 when it never closes. */
function hiddenEnd(html: string, name: string, from: number, unclosed: Set<string>): number {
  if (unclosed.has(name)) return -1;
  const close = new RegExp(`</${name}\\s*>`, 'gi');
  close.lastIndex = from;
  const found = close.exec(html);
  // No close from here means none from any later point either: remember it, or each opening rescans the rest.
  if (found === null) unclosed.add(name);
  return found === null ? -1 : close.lastIndex;
}

/** What the scan has learnt about the rest of the page, so no search covers the same characters twice. */
interface ScanState {
  /** Hidden element names with no closing tag after the scan point. */
  unclosed: Set<string>;
  /** The next `>` at or after the scan point (-1: none), refreshed only once the scan passes it. */
  nextGt: number;
}

function gtAfter(html: string, at: number, state: ScanState): number {
  if (state.nextGt >= 0 && state.nextGt < at) state.nextGt = html.indexOf('>', at);
  return state.nextGt;
}

/** The markup at `at` (a `<`) as [its replacement, where the scan goes on], or undefined when it is text. */
function markupAt(html: string, at: number, state: ScanState): [string, number] | undefined {
  if (html.startsWith('<!--', at)) {
    const end = html.indexOf('-->', at + 4);
    return [' ', end < 0 ? html.length : end + 3];
  }
  if (!tagStart.test(html.slice(at, at + 3))) return undefined;
  const close = gtAfter(html, at, state);
  if (close < 0) return undefined;
  const [, slash = '', rawName = ''] = tagName.exec(html.slice(at, Math.min(close, at + 32))) ?? [];
  const name = rawName.toLowerCase();
  if (slash === '' && hiddenNames.has(name)) {
    const end = hiddenEnd(html, name, close + 1, state.unclosed);
    if (end >= 0) return [' ', end];
  }
  return [blockNames.has(name) ? '\n' : ' ', close + 1];
}

/** The page with comments and hidden elements dropped and tags replaced: block tags by a line break. */
function stripMarkup(html: string): string {
  const parts: string[] = [];
  const state: ScanState = { unclosed: new Set(), nextGt: html.indexOf('>') };
  let text = 0;
  let at = html.indexOf('<');
  while (at >= 0) {
    const markup = markupAt(html, at, state);
    if (markup === undefined) {
      at = html.indexOf('<', at + 1);
      continue;
    }
    parts.push(html.slice(text, at), markup[0]);
    text = markup[1];
    at = html.indexOf('<', text);
  }
  parts.push(html.slice(text));
  return parts.join('');
}

export function extractText(html: string): string {
  return stripMarkup(html)
    .replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g, decodeReference)
    .normalize('NFC')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/** Whether a document (BOM and leading whitespace aside) opens like HTML: a doctype, a comment or a known tag. */
export function looksLikeHtml(text: string): boolean {
  return /^\uFEFF?\s*(?:<!doctype\s+html|<!--|<(?:html|head|body|meta|title|p|div|h[1-6]|article|section|main|span|a|ul|table)\b)/i.test(
    text.slice(0, 1024),
  );
}
