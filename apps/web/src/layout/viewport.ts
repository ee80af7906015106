import type { Box, GraphLayout } from './layered-layout.js';

/**
 * The graph on screen: which part of the layout a scroll container shows at a zoom, what is
 * drawn for it, and the zoom levels. Pure arithmetic on layout coordinates; the component
 * reads scroll offsets and sizes from the page and passes them in.
 */

/** Where a scroll container stands: its scroll offsets and the size it shows, in screen pixels. */
export interface ScrollView {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Below this zoom, node and edge text would be too small to read and is not drawn. */
export const DETAIL_MIN_SCALE = 0.4;
export const MAX_SCALE = 4;

/** The layout area a scroll container shows at zoom `k`, grown by `margin` screen pixels on each side. */
export function viewArea(view: ScrollView, k: number, margin = 0): Box {
  const s = k > 0 ? k : 1;
  return {
    x0: (view.left - margin) / s,
    y0: (view.top - margin) / s,
    x1: (view.left + view.width + margin) / s,
    y1: (view.top + view.height + margin) / s,
  };
}

export const intersects = (a: Box, b: Box): boolean =>
  a.x0 <= b.x1 && b.x0 <= a.x1 && a.y0 <= b.y1 && b.y0 <= a.y1;

export const covers = (outer: Box, inner: Box): boolean =>
  outer.x0 <= inner.x0 && outer.y0 <= inner.y0 && outer.x1 >= inner.x1 && outer.y1 >= inner.y1;

/**
 * The area to draw for a view: the view and `margin` screen pixels around it. The current
 * area is kept (the same object, so nothing re-renders) while it still covers the view and
 * half the margin: scrolling redraws only every few hundred pixels.
 */
export function drawArea(current: Box | null, view: ScrollView, k: number, margin: number): Box {
  if (current && covers(current, viewArea(view, k, margin / 2))) return current;
  return viewArea(view, k, margin);
}

export interface VisibleSet {
  /** 1 where `layout.nodes[i]` is in the area. */
  nodes: Uint8Array;
  /** Indices into `layout.edges` of the edges in the area, in drawing order. */
  edges: number[];
  /** Indices into `layout.buses`. */
  buses: number[];
}

/**
 * What of the layout lies in `area` (null: everything). One pass over precomputed boxes:
 * a few microseconds for thousands of boxes, far below the cost of drawing one of them.
 */
export function visibleSet(
  layout: Pick<GraphLayout, 'nodes' | 'edges' | 'buses'>,
  area: Box | null,
): VisibleSet {
  const nodes = new Uint8Array(layout.nodes.length);
  layout.nodes.forEach((n, i) => {
    if (area === null || intersects(area, { x0: n.x, y0: n.y, x1: n.x + n.width, y1: n.y + n.height }))
      nodes[i] = 1;
  });
  const edges: number[] = [];
  layout.edges.forEach((e, i) => {
    if (area === null || intersects(area, e.box)) edges.push(i);
  });
  const buses: number[] = [];
  layout.buses.forEach((b, i) => {
    if (area === null || intersects(area, b.box)) buses.push(i);
  });
  return { nodes, edges, buses };
}

/** The zoom that shows the whole layout in `width` × `height` pixels, never above 1. */
export function fitScale(layout: { width: number; height: number }, width: number, height: number): number {
  if (layout.width <= 0 || layout.height <= 0 || width <= 0 || height <= 0) return 1;
  return Math.min(1, width / layout.width, height / layout.height);
}

/**
 * The zoom a graph opens at: wide graphs shrink to the available width, but never below
 * `min`, where text gets hard to read (the graph scrolls instead); never enlarged.
 */
export function initialScale(layoutWidth: number, available: number, min = 0.75): number {
  if (available <= 0 || layoutWidth <= available) return 1;
  return Math.max(min, available / layoutWidth);
}

/** How far one can zoom: out to the whole graph (at least to half size), in to MAX_SCALE. */
export function zoomRange(
  layout: { width: number; height: number },
  width: number,
  height: number,
): [number, number] {
  return [Math.max(0.002, Math.min(0.5, fitScale(layout, width, height))), MAX_SCALE];
}

export interface Translation {
  x: number;
  y: number;
  k: number;
}

/**
 * Keeps a pan within what a scroll container can show: the content starts at the top left
 * and is never pulled past its far edge. A transform's x and y are then minus the scroll offsets.
 */
export function clampTranslation(
  t: Translation,
  viewport: { width: number; height: number },
  content: { width: number; height: number },
): Translation {
  const minX = Math.min(0, viewport.width - content.width * t.k);
  const minY = Math.min(0, viewport.height - content.height * t.k);
  return { x: Math.min(0, Math.max(minX, t.x)), y: Math.min(0, Math.max(minY, t.y)), k: t.k };
}
