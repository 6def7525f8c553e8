/**
 * @module
 * The playground's stylesheet: one column on a phone, two from tablet width; bars are plain boxes whose width is
 * the score, so the charts need no library.
 */
export const playgroundStyle = String.raw`
:root { color-scheme: light dark; --accent: #2f6fde; --muted: #8887; font: 16px/1.45 system-ui, sans-serif; }
body { margin: 0 auto; max-width: 68rem; padding: 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 0 0 .5rem; }
main { display: grid; gap: 1rem; grid-template-columns: minmax(0, 1fr); }
@media (min-width: 48rem) { main { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } #result { grid-column: 1 / -1; } }
section { border: 1px solid var(--muted); border-radius: .5rem; padding: .75rem 1rem; }
label, legend { display: block; font-weight: 600; margin-top: .6rem; }
input[type=text], input[type=password], textarea, select { box-sizing: border-box; width: 100%; font: inherit; padding: .35rem; }
textarea { min-height: 3.5rem; }
/* A file input is as wide as its button and file name in the browser's font: never wider than its column. */
input[type=file] { box-sizing: border-box; max-width: 100%; }
button { font: inherit; padding: .4rem .8rem; margin: .5rem .4rem 0 0; border-radius: .35rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: transparent; color: var(--accent); }
button:disabled { opacity: .5; cursor: wait; }
:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
.drop { border: 2px dashed var(--muted); border-radius: .5rem; padding: .5rem; margin-top: .3rem; }
.drop.over { border-color: var(--accent); }
.preview { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; margin-top: .3rem; }
.preview img { max-width: 96px; max-height: 96px; border-radius: .25rem; }
.preview video { max-width: 160px; max-height: 120px; border-radius: .25rem; }
/* A fieldset is as wide as its widest content by default, which pushed the page sideways on a 320 px phone. */
fieldset { min-inline-size: 0; }
input[type=range] { min-width: 0; width: 100%; }
.weight { display: grid; grid-template-columns: 4.5rem 1fr 2.5rem; align-items: center; gap: .5rem; }
.weight label { margin: 0; font-weight: 400; }
.weight[hidden] { display: none; }
#error { border: 2px solid #c62828; background: #c6282822; border-radius: .5rem; padding: .5rem .75rem; margin: .75rem 0; }
#status { min-height: 1.4em; color: #666a; }
#fused-label { font-size: 1.4rem; font-weight: 700; }
.charts { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: .25rem; }
.bar { display: grid; grid-template-columns: minmax(3rem, 7rem) 1fr 4.5rem; gap: .4rem; align-items: center; font-size: .9rem; }
.bar .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.track { background: #8883; border-radius: .2rem; height: .9rem; }
.fill { display: block; height: 100%; background: var(--accent); border-radius: .2rem; min-width: 1px; }
.value { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.missing { color: #a66a00; }
`;
