import { useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { select, zoom, zoomIdentity, zoomTransform, type D3ZoomEvent, type ZoomTransform } from 'd3';
import { clampTranslation, fitScale, initialScale, zoomRange } from '../../layout/viewport.js';

/**
 * Zoom and pan for a graph drawn inside a native scroll container. d3-zoom computes the
 * transform (wheel with Ctrl/⌘ or a pinch, dragging, the buttons); React draws at its scale,
 * and its translation is the container's scroll position, so plain wheel, scroll bars,
 * keyboard scrolling and focus scrolling keep working as on any scrolling box.
 */

export interface GraphZoom {
  scale: number;
  /**
   * The box's width and the height it may grow to; null until measured (the graph is drawn
   * only then, so that measuring does not lay out thousands of boxes drawn at a wrong zoom).
   */
  room: Room | null;
  range: readonly [number, number];
  zoomIn: () => void;
  zoomOut: () => void;
  /** The whole graph in the box. */
  fit: () => void;
  /** Natural size (100 %). */
  actualSize: () => void;
}

export const ZOOM_STEP = 1.25;
const FALLBACK_MAX_HEIGHT = 0.78;

export interface Room {
  width: number;
  /** The height the box may grow to (its max-height), not the height it has now. */
  height: number;
}

function roomOf(el: HTMLElement): Room {
  const max = Number.parseFloat(getComputedStyle(el).maxHeight);
  return {
    width: el.clientWidth,
    height: Number.isFinite(max) && max > 0 ? max - 4 : window.innerHeight * FALLBACK_MAX_HEIGHT,
  };
}

const isZoomWheel = (ev: Event): boolean => ev instanceof WheelEvent && (ev.ctrlKey || ev.metaKey);

/**
 * Zoom steps per wheel event, as a power of 2. A mouse wheel notch (about 100 pixels) zooms by
 * about 13 %; trackpad pinches, which arrive as many small Ctrl + wheel events, count ten times
 * more per pixel, as d3-zoom does for them.
 */
export function wheelZoom(ev: Pick<WheelEvent, 'deltaY' | 'deltaMode'>): number {
  const perPixel = ev.deltaMode === 1 ? 0.05 : ev.deltaMode ? 1 : 0.002;
  const pinch = ev.deltaMode === 0 && Math.abs(ev.deltaY) < 50;
  return -ev.deltaY * perPixel * (pinch ? 10 : 1);
}

/** Whether a mouse event is on the box's own scroll bars rather than its content. */
function onScrollbar(ev: MouseEvent, el: HTMLElement): boolean {
  if (ev.target !== el) return false;
  const r = el.getBoundingClientRect();
  return (
    ev.clientX - r.left - el.clientLeft >= el.clientWidth ||
    ev.clientY - r.top - el.clientTop >= el.clientHeight
  );
}

export function useGraphZoom(
  wrapRef: RefObject<HTMLDivElement | null>,
  size: { width: number; height: number },
  /** A new graph (another port) opens at its initial zoom again. */
  resetKey: string,
  /** Called when the reader zooms or pans, before the change is drawn. */
  onMove?: () => void,
): GraphZoom {
  const [room, setRoom] = useState<Room | null>(null);
  const [chosen, setChosen] = useState<{ k: number; key: string } | null>(null);
  const range = useMemo(() => zoomRange(size, room?.width ?? 0, room?.height ?? 0), [size, room]);
  const wanted = chosen?.key === resetKey ? chosen.k : initialScale(size.width, room?.width ?? 0);
  const scale = Math.min(range[1], Math.max(range[0], wanted));

  const kRef = useRef(scale);
  kRef.current = scale;
  const keyRef = useRef(resetKey);
  keyRef.current = resetKey;
  const pending = useRef<{ left: number; top: number } | null>(null);
  const syncing = useRef(false);
  const behaviour = useMemo(() => zoom<HTMLDivElement, unknown>(), []);

  // Measured before the first paint, while the box is still empty.
  useLayoutEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const measure = () =>
      setRoom((old) => {
        const r = roomOf(el);
        return old && old.width === r.width && old.height === r.height ? old : r;
      });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    window.addEventListener('resize', measure);
    return () => {
      ro.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [wrapRef]);

  // d3 keeps its own copy of the transform; the user may have scrolled since it last looked.
  const sync = (): void => {
    const el = wrapRef.current;
    if (!el) return;
    const k = kRef.current;
    const t = zoomTransform(el);
    if (t.k === k && t.x === -el.scrollLeft && t.y === -el.scrollTop) return;
    syncing.current = true;
    try {
      behaviour.transform(select(el), zoomIdentity.translate(-el.scrollLeft, -el.scrollTop).scale(k));
    } finally {
      syncing.current = false;
    }
  };

  const apply = (t: ZoomTransform): void => {
    const el = wrapRef.current;
    if (!el) return;
    onMove?.();
    if (t.k === kRef.current) {
      el.scrollLeft = -t.x;
      el.scrollTop = -t.y;
      return;
    }
    // The new size is drawn first; the scroll position follows once the content has it.
    pending.current = { left: -t.x, top: -t.y };
    setChosen({ k: t.k, key: keyRef.current });
  };
  const applyRef = useRef(apply);
  applyRef.current = apply;
  const syncRef = useRef(sync);
  syncRef.current = sync;

  useLayoutEffect(() => {
    const el = wrapRef.current;
    const p = pending.current;
    pending.current = null;
    if (!el || !p) return;
    el.scrollLeft = p.left;
    el.scrollTop = p.top;
  }, [scale, wrapRef]);

  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    behaviour
      // Ctrl/⌘ + wheel (and trackpad pinches, which arrive as such) zoom; a plain wheel scrolls
      // the box and then the page as usual. Dragging with the main button pans, except on
      // the box's own scroll bars. Touch keeps the browser's scrolling.
      .filter((ev: Event) =>
        ev.type === 'wheel'
          ? isZoomWheel(ev)
          : ev instanceof MouseEvent &&
            ev.type === 'mousedown' &&
            ev.button === 0 &&
            !ev.ctrlKey &&
            !onScrollbar(ev, el),
      )
      .wheelDelta((ev: WheelEvent) => wheelZoom(ev))
      .touchable(() => false)
      .on('zoom', (ev: D3ZoomEvent<HTMLDivElement, unknown>) => {
        if (!syncing.current) applyRef.current(ev.transform);
      });
    select(el).call(behaviour).on('dblclick.zoom', null);
    const before = (ev: Event): void => {
      if (ev.type === 'wheel' && !isZoomWheel(ev)) return;
      // Ctrl + wheel must never zoom the whole page, even at the graph's zoom limits.
      if (ev.type === 'wheel') ev.preventDefault();
      syncRef.current();
    };
    el.addEventListener('wheel', before, { capture: true, passive: false });
    el.addEventListener('mousedown', before, { capture: true });
    return () => {
      select(el).on('.zoom', null);
      el.removeEventListener('wheel', before, { capture: true });
      el.removeEventListener('mousedown', before, { capture: true });
    };
  }, [behaviour, wrapRef]);

  useEffect(() => {
    behaviour
      .scaleExtent([range[0], range[1]])
      .translateExtent([
        [0, 0],
        [size.width, size.height],
      ])
      .constrain((t, extent, content) => {
        const c = clampTranslation(
          { x: t.x, y: t.y, k: t.k },
          { width: extent[1][0] - extent[0][0], height: extent[1][1] - extent[0][1] },
          { width: content[1][0] - content[0][0], height: content[1][1] - content[0][1] },
        );
        return c.x === t.x && c.y === t.y ? t : zoomIdentity.translate(c.x, c.y).scale(t.k);
      });
  }, [behaviour, range, size]);

  const run = (f: (sel: ReturnType<typeof select<HTMLDivElement, unknown>>) => void) => () => {
    const el = wrapRef.current;
    if (!el) return;
    sync();
    f(select<HTMLDivElement, unknown>(el));
  };
  return {
    scale,
    room,
    range,
    zoomIn: run((sel) => behaviour.scaleBy(sel, ZOOM_STEP)),
    zoomOut: run((sel) => behaviour.scaleBy(sel, 1 / ZOOM_STEP)),
    actualSize: run((sel) => behaviour.scaleTo(sel, 1)),
    fit: run((sel) => {
      const el = sel.node();
      if (!el) return;
      const r = roomOf(el);
      const k = Math.min(range[1], Math.max(range[0], fitScale(size, r.width, r.height)));
      behaviour.transform(sel, zoomIdentity.scale(k));
    }),
  };
}
