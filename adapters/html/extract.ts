/**
 * @module
 * Visible text of an HTML document, for both faces of the html adapter: comments, `<script>`, `<style>`,
 * `<template>` and `<noscript>` bodies dropped, tags removed (block-level ones become line breaks), character
 * references decoded (named ones for the common entities, all numeric ones), whitespace collapsed, Unicode NFC.
 * A linear pass of regular expressions with no backtracking on nested patterns: no parser to attack.
 */

const hidden = /<(script|style|template|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const comment = /<!--[\s\S]*?(?:-->|$)/g;
const block =
  /<\/?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|section|article|header|footer|title|blockquote|pre)\b[^>]*>/gi;
const tag = /<\/?[a-zA-Z!?][^>]*>/g;
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

export function extractText(html: string): string {
  return html
    .replace(comment, ' ')
    .replace(hidden, ' ')
    .replace(block, '\n')
    .replace(tag, ' ')
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
