/**
 * @module
 * `modalfuse evaluate --report out.html`: the evaluation view as one self-contained page — its CSS and SVG inline,
 * no script, no external reference — that opens from disk in any browser and can be mailed as it is.
 */
import type { ReportInput } from './input.ts';
import { escape } from './svg.ts';
import { evaluationView } from './view.ts';

export function reportPage(input: ReportInput): string {
  const title = `ModalFuse evaluation${input.task ? `: ${input.task}` : ''}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>:root { color-scheme: light dark; } body { margin: 0 auto; max-width: 72rem; padding: 1rem; }</style>
</head>
<body>
${evaluationView(input)}
</body>
</html>
`;
}
