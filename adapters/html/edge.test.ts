import { describe, expect, it } from 'vitest';
import { inputErrorOf } from '../shared/testing.ts';
import { html } from './edge.ts';
import { extractText } from './extract.ts';

const page = `<!DOCTYPE html>
<html><head><title>Café &amp; bar</title><style>body { color: red }</style>
<script>var hidden = "<p>not text</p>";</script></head>
<body><!-- a comment --><h1>Hello,&nbsp;world</h1><p>caf\u0065\u0301 &#233; &#x1F600;</p>
<ul><li>one</li><li>two</li></ul></body></html>`;
const encoder = new TextEncoder();

describe('html example adapter', () => {
  it('extracts the visible text: no scripts, styles or comments; entities decoded; NFC; one block per line', () => {
    expect(extractText(page)).toBe('Café & bar\nHello, world\ncafé é 😀\none\ntwo');
  });

  it('keeps the regex-era results for tags, hidden elements and comments that do not close', () => {
    expect(extractText('<p>a<b>b</b>c<br/>d<!doctype x><?xml?>e</p><span')).toBe('a b c\nd e\n<span');
    expect(extractText('<p>x</p><script>never closed <p>y</p>')).toBe('x\nnever closed\ny');
    expect(extractText('<p>x <!-- never closed <p>y</p>')).toBe('x');
    expect(extractText('a < b and 3<4 > 2')).toBe('a < b and 3<4 > 2');
  });

  it.each([
    ['<a', 'an unclosed tag'],
    ['<1', 'a bare less-than'],
    ['<script>', 'an unclosed hidden element'],
    ['<!--', 'an unclosed comment'],
    ['<p>', 'a block tag'],
  ])('scans %s repeated 200,000 times (%s) in linear time', (unit, _) => {
    const started = performance.now();
    for (const html of [unit.repeat(200_000), `${unit.repeat(200_000)}>`, `<p>${unit.repeat(200_000)}</p>`])
      expect(typeof extractText(html)).toBe('string');
    // A quadratic scan of 400 KB takes minutes; the linear one takes milliseconds. Generous for slow machines.
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('accepts a page as a JSON string or bytes, keeping the page as its canonical bytes', async () => {
    const fromText = await html.normalize({ kind: 'text', value: page });
    expect(fromText).toMatchObject({ modality: 'html', mimeType: 'text/html', meta: { characters: 40 } });
    expect(new TextDecoder().decode(fromText.bytes)).toBe(page);
    const fromBytes = await html.normalize({
      kind: 'bytes',
      bytes: encoder.encode(page),
      declaredType: 'text/html; charset=utf-8',
    });
    expect(fromBytes.bytes).toEqual(fromText.bytes);
  });

  it.each([
    ['plain text', 'just words, no markup', 'unsupported-type'],
    ['a page with no visible text', '<html><script>x()</script></html>', 'empty'],
    ['a page over the character limit', `<p>${'a'.repeat(20_001)}</p>`, 'over-limit'],
  ])('refuses %s', async (_, value, code) => {
    expect((await inputErrorOf(() => html.normalize({ kind: 'text', value }))).code).toBe(code);
  });

  it('refuses invalid UTF-8, a PNG declared as HTML, and HTML declared as an image', async () => {
    const bad = Uint8Array.of(0x3c, 0x70, 0x3e, 0xff, 0xfe);
    expect((await inputErrorOf(() => html.normalize({ kind: 'bytes', bytes: bad }))).code).toBe('malformed');
    const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    const asHtml = { kind: 'bytes', bytes: png, declaredType: 'text/html' } as const;
    expect((await inputErrorOf(() => html.normalize(asHtml))).code).toBe('malformed');
    const asImage = { kind: 'bytes', bytes: encoder.encode(page), declaredType: 'image/png' } as const;
    expect((await inputErrorOf(() => html.normalize(asImage))).code).toBe('type-mismatch');
  });
});
