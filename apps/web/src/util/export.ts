/** Downloads from the browser: JSON of any view's data, the graph as SVG or PNG. */

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Let the download start before the URL goes away.
  requestAnimationFrame(() => URL.revokeObjectURL(url));
}

export const downloadJson = (data: unknown, filename: string): void =>
  downloadBlob(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }), filename);

/**
 * A standalone copy of an on-screen SVG: CSS variables in its embedded <style> are replaced by
 * their current values, so the file looks the same outside the page (in the current theme).
 */
export function standaloneSvg(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const computed = getComputedStyle(svg);
  for (const style of Array.from(clone.querySelectorAll('style'))) {
    style.textContent = (style.textContent ?? '').replace(
      /var\((--[a-z0-9-]+)\)/gi,
      (_, name: string) => computed.getPropertyValue(name).trim() || 'currentColor',
    );
  }
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  // Export at natural size, whatever zoom the page shows.
  const vb = svg.viewBox.baseVal;
  if (vb && vb.width > 0) {
    clone.setAttribute('width', String(vb.width));
    clone.setAttribute('height', String(vb.height));
  }
  const bg = computed.getPropertyValue('--surface').trim() || '#ffffff';
  const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  rect.setAttribute('width', '100%');
  rect.setAttribute('height', '100%');
  rect.setAttribute('fill', bg);
  clone.insertBefore(rect, clone.firstChild);
  return new XMLSerializer().serializeToString(clone);
}

export const downloadSvg = (svg: SVGSVGElement, filename: string): void =>
  downloadBlob(new Blob([standaloneSvg(svg)], { type: 'image/svg+xml' }), filename);

/** Browsers refuse canvases much larger than this; big graphs are scaled down to fit. */
const MAX_CANVAS_SIDE = 16384;

export function downloadPng(svg: SVGSVGElement, filename: string): Promise<void> {
  const vb = svg.viewBox.baseVal;
  const width = vb && vb.width > 0 ? vb.width : svg.getBoundingClientRect().width;
  const height = vb && vb.height > 0 ? vb.height : svg.getBoundingClientRect().height;
  const scale = Math.min(2, MAX_CANVAS_SIDE / Math.max(width, height, 1));
  // A data: URL, because the server's content security policy allows data: images but not blob: ones.
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(standaloneSvg(svg))}`;
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(width * scale));
      canvas.height = Math.max(1, Math.round(height * scale));
      const ctx = canvas.getContext('2d');
      if (!ctx) {
        return reject(new Error('This browser cannot draw on a canvas.'));
      }
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0, width, height);
      canvas.toBlob((blob) => {
        if (!blob) return reject(new Error('The graph is too large to export as PNG; export SVG instead.'));
        downloadBlob(blob, filename);
        resolve();
      }, 'image/png');
    };
    img.onerror = () => {
      reject(new Error('The graph could not be rendered to PNG; export SVG instead.'));
    };
    img.src = url;
  });
}
