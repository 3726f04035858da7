/**
 * Pictures: series, STILT results, station and footprint maps as SVG and
 * PNG, with notebook displays. Loads its plotting libraries on first use.
 *
 * @module
 */

export * from "./plot.ts";
