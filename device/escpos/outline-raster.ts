// Glyph outlines to a 1-bit RasterImage for GS v 0: the curves are flattened to line segments and
// the shape is filled by scanlines with the non-zero winding rule (TrueType's), sampling each dot
// at its centre. Pure: a font parser outside device/ supplies the outlines in dot coordinates
// (x right, y down), so the same bytes come out on every machine, which the golden receipt
// transcripts rely on.
import { EscPosError } from './escpos-error.js';
import { maxRasterWidthDots, type RasterImage } from './raster-image.js';

export type OutlineCommand =
  | { type: 'M'; x: number; y: number }
  | { type: 'L'; x: number; y: number }
  | { type: 'Q'; x1: number; y1: number; x: number; y: number }
  | { type: 'C'; x1: number; y1: number; x2: number; y2: number; x: number; y: number }
  | { type: 'Z' };

interface Edge { x0: number; y0: number; x1: number; y1: number; winding: 1 | -1 }

const curveSteps = 8;

/** Flattens outlines to the edges of closed polygons. */
function edgesOf(commands: readonly OutlineCommand[]): Edge[] {
  const edges: Edge[] = [];
  let startX = 0;
  let startY = 0;
  let x = 0;
  let y = 0;
  const lineTo = (toX: number, toY: number): void => {
    if (toY !== y) edges.push(toY > y ? { x0: x, y0: y, x1: toX, y1: toY, winding: 1 } : { x0: toX, y0: toY, x1: x, y1: y, winding: -1 });
    x = toX;
    y = toY;
  };
  for (const command of commands) {
    switch (command.type) {
      case 'M':
        if (x !== startX || y !== startY) lineTo(startX, startY);
        startX = x = command.x;
        startY = y = command.y;
        break;
      case 'L':
        lineTo(command.x, command.y);
        break;
      case 'Q': {
        const [fromX, fromY] = [x, y];
        for (let step = 1; step <= curveSteps; step += 1) {
          const t = step / curveSteps;
          const u = 1 - t;
          lineTo(u * u * fromX + 2 * u * t * command.x1 + t * t * command.x, u * u * fromY + 2 * u * t * command.y1 + t * t * command.y);
        }
        break;
      }
      case 'C': {
        const [fromX, fromY] = [x, y];
        for (let step = 1; step <= curveSteps; step += 1) {
          const t = step / curveSteps;
          const u = 1 - t;
          const [a, b, c, d] = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
          lineTo(a * fromX + b * command.x1 + c * command.x2 + d * command.x, a * fromY + b * command.y1 + c * command.y2 + d * command.y);
        }
        break;
      }
      case 'Z':
        lineTo(startX, startY);
        break;
      default:
        throw new EscPosError('escpos_bad_option', `unknown outline command ${JSON.stringify((command as { type?: unknown }).type)}`);
    }
  }
  if (x !== startX || y !== startY) lineTo(startX, startY);
  return edges;
}

/**
 * Fills the outlines into an image of widthDots × heightDots. `emboldenDots` also fills that many
 * dots to the right of every filled run, a faux bold that keeps counters open at receipt sizes.
 */
export function rasteriseOutlines(commands: readonly OutlineCommand[], widthDots: number, heightDots: number, emboldenDots = 0): RasterImage {
  if (!Number.isInteger(widthDots) || widthDots < 1 || widthDots > maxRasterWidthDots || !Number.isInteger(heightDots) || heightDots < 1) {
    throw new EscPosError('escpos_image_bad_data', `cannot rasterise into ${String(widthDots)}×${String(heightDots)} dots`);
  }
  const rowBytes = Math.ceil(widthDots / 8);
  const data = new Uint8Array(rowBytes * heightDots);
  const edges = edgesOf(commands);
  for (let row = 0; row < heightDots; row += 1) {
    const sampleY = row + 0.5;
    const crossings: Array<{ x: number; winding: number }> = [];
    for (const edge of edges) {
      if (sampleY < edge.y0 || sampleY >= edge.y1) continue;
      crossings.push({ x: edge.x0 + ((sampleY - edge.y0) / (edge.y1 - edge.y0)) * (edge.x1 - edge.x0), winding: edge.winding });
    }
    crossings.sort((left, right) => left.x - right.x);
    let winding = 0;
    for (let index = 0; index < crossings.length; index += 1) {
      const crossing = crossings[index]!;
      const before = winding;
      winding += crossing.winding;
      if (before !== 0 || winding === 0 || index + 1 >= crossings.length) continue;
      // Inside from this crossing until the winding returns to zero.
      let end = index + 1;
      let inner = winding;
      while (end < crossings.length) {
        inner += crossings[end]!.winding;
        if (inner === 0) break;
        end += 1;
      }
      const toX = crossings[Math.min(end, crossings.length - 1)]!.x;
      const firstDot = Math.max(0, Math.ceil(crossing.x - 0.5));
      const lastDot = Math.min(widthDots - 1, Math.floor(toX - 0.5) + emboldenDots);
      for (let dot = firstDot; dot <= lastDot; dot += 1) data[row * rowBytes + (dot >> 3)]! |= 0x80 >> (dot & 7);
    }
  }
  return { widthDots, heightDots, data };
}
