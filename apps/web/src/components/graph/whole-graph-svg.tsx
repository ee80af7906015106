import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { GraphDrawingModel } from './drawing-model.js';
import { GraphDrawing } from './GraphDrawing.js';

/**
 * The whole graph as one SVG element, for export: the page draws only what is around the
 * view, so the file is drawn from the layout, at natural size, with every label. The element
 * sits hidden in the document (so the theme's CSS variables resolve) until the current task
 * ends; callers use it at once, the way the export buttons do.
 */
export function drawWholeGraph(model: GraphDrawingModel, title: string): SVGSVGElement | null {
  const host = document.createElement('div');
  host.setAttribute('aria-hidden', 'true');
  host.style.cssText = 'position:fixed;left:-100000px;top:0;visibility:hidden;pointer-events:none';
  document.body.append(host);
  const root = createRoot(host);
  flushSync(() =>
    root.render(<GraphDrawing model={model} title={title} scale={1} area={null} interactive={false} />),
  );
  setTimeout(() => {
    root.unmount();
    host.remove();
  }, 0);
  return host.querySelector('svg');
}
