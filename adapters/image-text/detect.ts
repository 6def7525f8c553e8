/**
 * @module
 * Text detection's post-processing, as PaddleOCR's DB post-process (`ppocr/postprocess/db_postprocess.py`) does it
 * for horizontal text: the probability map thresholded at `thresh` 0.3, each 8-connected region of it a candidate,
 * kept when its shorter side is at least `min_size` 3 and the mean probability over its box is at least
 * `box_thresh` 0.6, then expanded by the Vatti-clipping distance `area × unclip_ratio / perimeter` (`unclip_ratio`
 * 1.5) on every side. The constants are PaddleOCR's defaults for inference (`tools/infer/utility.py`:
 * `det_db_thresh`, `det_db_box_thresh`, `det_db_unclip_ratio`), which gutenye's JS port keeps (`unclipRatio = 1.5`,
 * `boxThreshold = 0.6`). Boxes are axis-aligned (PaddleOCR fits rotated rectangles): rotated text is out of scope.
 */

/** A box in the map's pixels: left, top (inclusive), width, height. */
export interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  /** Mean probability over the region's box. */
  readonly score: number;
}

export interface DetectionSettings {
  readonly thresh: number;
  readonly boxThresh: number;
  readonly unclipRatio: number;
  readonly minSize: number;
}

export const paddleDetection: DetectionSettings = {
  thresh: 0.3,
  boxThresh: 0.6,
  unclipRatio: 1.5,
  minSize: 3,
};

/** The map: `width × height` values read at `stride` per row (a batched output is padded on the right). */
export interface ProbabilityMap {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
  readonly stride: number;
}

interface Region {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The bounding box of the 8-connected region of above-threshold pixels holding `start`, marking it seen. */
function regionFrom(map: ProbabilityMap, above: Uint8Array, start: number): Region {
  const { width } = map;
  const region = { left: start % width, top: Math.floor(start / width), right: 0, bottom: 0 };
  region.right = region.left;
  region.bottom = region.top;
  const stack = [start];
  above[start] = 0;
  while (stack.length > 0) {
    const at = stack.pop() as number;
    const x = at % width;
    const y = (at - x) / width;
    region.left = Math.min(region.left, x);
    region.right = Math.max(region.right, x);
    region.top = Math.min(region.top, y);
    region.bottom = Math.max(region.bottom, y);
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= map.height) continue;
        const next = ny * width + nx;
        if (above[next] === 1) {
          above[next] = 0;
          stack.push(next);
        }
      }
  }
  return region;
}

function meanOver(map: ProbabilityMap, region: Region): number {
  let sum = 0;
  for (let y = region.top; y <= region.bottom; y++)
    for (let x = region.left; x <= region.right; x++) sum += map.data[y * map.stride + x] ?? 0;
  return sum / ((region.right - region.left + 1) * (region.bottom - region.top + 1));
}

/** The region's box grown by the unclip distance on every side, within the map. */
function unclipped(map: ProbabilityMap, region: Region, ratio: number, score: number): Box {
  const w = region.right - region.left + 1;
  const h = region.bottom - region.top + 1;
  const distance = (w * h * ratio) / (2 * (w + h));
  const left = Math.max(0, Math.floor(region.left - distance));
  const top = Math.max(0, Math.floor(region.top - distance));
  const right = Math.min(map.width, Math.ceil(region.right + 1 + distance));
  const bottom = Math.min(map.height, Math.ceil(region.bottom + 1 + distance));
  return { left, top, width: right - left, height: bottom - top, score };
}

/** The text boxes of a probability map (see the module's notes), in no particular order. */
export function detectBoxes(map: ProbabilityMap, settings: DetectionSettings = paddleDetection): Box[] {
  const above = new Uint8Array(map.width * map.height);
  for (let y = 0; y < map.height; y++)
    for (let x = 0; x < map.width; x++)
      above[y * map.width + x] = (map.data[y * map.stride + x] ?? 0) > settings.thresh ? 1 : 0;
  const boxes: Box[] = [];
  for (let start = 0; start < above.length; start++) {
    if (above[start] !== 1) continue;
    const region = regionFrom(map, above, start);
    const shorter = Math.min(region.right - region.left, region.bottom - region.top) + 1;
    if (shorter < settings.minSize) continue;
    const score = meanOver(map, region);
    if (score >= settings.boxThresh) boxes.push(unclipped(map, region, settings.unclipRatio, score));
  }
  return boxes;
}
