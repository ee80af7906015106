import { useState, type RefObject } from 'react';
import { downloadJson, downloadPng, downloadSvg } from '../util/export.js';

/** Export any view's data as JSON, and when a graph is on screen, the graph as SVG or PNG. */
export function ExportButtons({
  data,
  name,
  svgRef,
}: {
  data: unknown;
  name: string;
  svgRef?: RefObject<SVGSVGElement | null>;
}) {
  const [error, setError] = useState<string | null>(null);
  const safe = name.replace(/[^a-z0-9._-]+/gi, '_');
  return (
    <span className="toolbar" role="group" aria-label="Export" style={{ margin: 0 }}>
      <button type="button" onClick={() => downloadJson(data, `${safe}.json`)} disabled={data === undefined}>
        Export JSON
      </button>
      {svgRef && (
        <>
          <button type="button" onClick={() => svgRef.current && downloadSvg(svgRef.current, `${safe}.svg`)}>
            Export SVG
          </button>
          <button
            type="button"
            onClick={() => {
              setError(null);
              if (svgRef.current)
                downloadPng(svgRef.current, `${safe}.png`).catch((e: unknown) =>
                  setError(e instanceof Error ? e.message : String(e)),
                );
            }}
          >
            Export PNG
          </button>
        </>
      )}
      {error && (
        <span role="alert" className="badge error">
          {error}
        </span>
      )}
    </span>
  );
}
