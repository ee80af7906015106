import { describe, it, expect } from 'vitest';
import { ZOOM_STEP, wheelZoom } from './use-graph-zoom.js';

describe('wheelZoom', () => {
  it('zooms a mouse wheel notch by a step like the buttons, out when scrolling down', () => {
    // Chrome reports 100 pixels per notch on Linux and Windows, 120 elsewhere.
    const notch = 2 ** wheelZoom({ deltaY: 100, deltaMode: 0 });
    expect(notch).toBeLessThan(1);
    expect(notch).toBeGreaterThan(1 / ZOOM_STEP - 0.05);
    expect(2 ** wheelZoom({ deltaY: -120, deltaMode: 0 })).toBeGreaterThan(1);
    // Line and page modes (Firefox) are converted, not taken as pixels.
    expect(2 ** wheelZoom({ deltaY: 3, deltaMode: 1 })).toBeCloseTo(notch, 1);
  });

  it('follows trackpad pinches, which arrive as many small events, about as fast', () => {
    const pinch = Array.from({ length: 20 }, () => wheelZoom({ deltaY: 5, deltaMode: 0 })).reduce(
      (a, b) => a + b,
    );
    expect(2 ** pinch).toBeLessThan(0.5);
    expect(2 ** pinch).toBeGreaterThan(0.1);
  });
});
