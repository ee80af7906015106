import type { GraphLayout } from './layered-layout.js';

/**
 * Which node an arrow key moves to from `id`: Right follows an edge forward, Left goes back,
 * Up and Down move within the layer. Null when there is nowhere to go.
 */
export function neighbourFor(
  layout: Pick<GraphLayout, 'layers' | 'edges'>,
  id: string,
  key: string,
): string | null {
  if (key === 'ArrowUp' || key === 'ArrowDown') {
    const layer = layout.layers.find((l) => l.includes(id));
    if (!layer) return null;
    const i = layer.indexOf(id) + (key === 'ArrowDown' ? 1 : -1);
    return layer[i] ?? null;
  }
  if (key === 'ArrowRight') return layout.edges.find((e) => e.from === id && e.to !== id)?.to ?? null;
  if (key === 'ArrowLeft') return layout.edges.find((e) => e.to === id && e.from !== id)?.from ?? null;
  return null;
}
