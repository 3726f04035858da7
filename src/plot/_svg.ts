// Private: the SVG side of the plots: a DOM to render into (the page's or
// linkedom's), titles and legends stacked into one document.

import type { geoBounds } from "npm:d3-geo@3.1.2";
import { Picture } from "./plot.ts";

export const SVG_NS = "http://www.w3.org/2000/svg";

export const FONT = "DejaVu Sans, Verdana, system-ui, sans-serif";

export const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

/** The little of the DOM used here (the page's, or linkedom's). */
export interface SvgNode {
  outerHTML: string;
  setAttribute(name: string, value: string): void;
}

export interface SvgDocument {
  createElementNS(ns: string, name: string): SvgNode;
}

export type Element = SvgNode;

export type Document = SvgDocument;

export type GeoFeature = Parameters<typeof geoBounds>[0];

export let cachedDocument: Document | undefined;

export async function svgDocument(): Promise<Document> {
  const g = globalThis as { document?: Document };
  if (g.document?.createElementNS) return g.document;
  if (!cachedDocument) {
    const { parseHTML } = await import("npm:linkedom@0.18.15");
    cachedDocument = (parseHTML("<!doctype html><html><body></body></html>") as unknown as {
      document: Document;
    }).document;
  }
  return cachedDocument;
}

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Serializes a Plot SVG element as a nested `<svg>` at (x, y). */
export function nested(el: Element, x: number, y: number): string {
  const s = el.outerHTML;
  return s.replace(/^<svg/, `<svg x="${x}" y="${y}"`);
}

export interface Part {
  svg: string;
  height: number;
}

/** Title, subtitle, body parts, stacked into one SVG document. */
export function compose(
  width: number,
  title: string,
  subtitle: string | undefined,
  parts: Part[],
): Picture {
  let y = 0;
  const out: string[] = [];
  if (title) {
    out.push(
      `<text x="12" y="24" font-size="16" font-weight="bold" fill="#222">${esc(title)}</text>`,
    );
    y = 34;
  }
  if (subtitle) {
    out.push(`<text x="12" y="${y + 14}" font-size="12" fill="#555">${esc(subtitle)}</text>`);
    y += 22;
  }
  y += 4;
  for (const p of parts) {
    out.push(p.svg.replace(/\{Y\}/g, String(y)));
    y += p.height;
  }
  const height = Math.ceil(y + 4);
  const svg =
    `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
    ` font-family="${FONT}"><rect width="100%" height="100%" fill="white"/>${out.join("")}</svg>`;
  return new Picture(svg, { width, height, title });
}

export function swatches(labels: string[], colors: string[], width: number): Part {
  let x = 50;
  const items = labels.map((l, i) => {
    const s = `<g transform="translate(${x},{Y})"><line x1="0" x2="18" y1="8" y2="8" stroke="${
      colors[i]
    }" stroke-width="2.5"/><text x="24" y="12" font-size="12" fill="#222">${esc(l)}</text></g>`;
    x += 34 + 7.5 * l.length;
    return s;
  });
  return { svg: `<g class="swatches" data-width="${width}">${items.join("")}</g>`, height: 22 };
}
