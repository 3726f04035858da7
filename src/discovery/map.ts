/**
 * Station maps: GeoJSON, and standalone HTML pages drawn with Leaflet (a
 * circle marker and a popup per station). Popups are built with
 * `textContent`, so metadata can never inject HTML.
 *
 * @module
 */

import { checkOptions, list, type OptionKeys } from "../_util/args.ts";

/** One marker. */
export interface MapMarker {
  /** Latitude, degrees north. */
  lat: number;
  /** Longitude, degrees east. */
  lon: number;
  /** Title (first line of the popup, tooltip). */
  title: string;
  /** Theme (`AS`, `ES`, `OS` or atmosphere, ecosystem, ocean): the marker's colour on station maps. */
  theme?: string;
  /** Further popup lines, `label: value`. */
  details?: Record<string, string | number | undefined>;
}

/** Options of {@linkcode mapHtml}. */
export interface MapOptions {
  /** Page title. Default "ICOS stations". */
  title?: string;
  /** Base URL of Leaflet's `leaflet.js` and `leaflet.css`. Default Leaflet 1.9.4 on unpkg. */
  leafletUrl?: string;
  /** Tile URL template. Default OpenStreetMap. */
  tiles?: string;
  /** Tile attribution. */
  attribution?: string;
}

const MAP_KEYS: OptionKeys<MapOptions> = {
  title: true,
  leafletUrl: true,
  tiles: true,
  attribution: true,
};

/** A GeoJSON FeatureCollection of points. */
export interface PointCollection {
  /** Always `FeatureCollection`. */
  type: "FeatureCollection";
  /** One point feature per marker. */
  features: {
    type: "Feature";
    geometry: { type: "Point"; coordinates: [number, number] };
    properties: Record<string, string | number | undefined>;
  }[];
}

/**
 * Markers as GeoJSON (markers without a finite position are left out).
 *
 * @param markers The markers.
 * @returns A FeatureCollection of points with `title` and the details as properties.
 *
 * @example
 * ```ts
 * import { markersToGeoJson } from "@icoscp/icoscp/discovery";
 * import assert from "node:assert/strict";
 *
 * const g = markersToGeoJson([{ lat: 53.0657, lon: 11.4429, title: "Gartow", details: { id: "GAT" } }, { lat: NaN, lon: 0, title: "ship" }]);
 * assert.deepEqual(g.features[0].geometry.coordinates, [11.4429, 53.0657]);
 * assert.equal(g.features.length, 1);
 * ```
 */
export function markersToGeoJson(markers: readonly MapMarker[]): PointCollection {
  markers = list("markersToGeoJson", "markers", markers);
  return {
    type: "FeatureCollection",
    features: markers.filter((m) => Number.isFinite(m.lat) && Number.isFinite(m.lon)).map((m) => ({
      type: "Feature",
      geometry: { type: "Point", coordinates: [m.lon, m.lat] },
      properties: { title: m.title, ...m.details },
    })),
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A standalone HTML page with a Leaflet map of the markers.
 *
 * @param markers The markers (those without a position are left out).
 * @param options Title, Leaflet location, tiles.
 * @returns The page.
 *
 * @example
 * ```ts
 * import { mapHtml } from "@icoscp/icoscp/discovery";
 * import assert from "node:assert/strict";
 *
 * const html = mapHtml([{ lat: 56.0976, lon: 13.4189, title: "Hyltemossa <script>" }]);
 * assert.match(html, /leaflet\.js/);
 * assert.doesNotMatch(html, /Hyltemossa <script>/);
 * ```
 */
export function mapHtml(markers: readonly MapMarker[], options: MapOptions = {}): string {
  markers = list("mapHtml", "markers", markers);
  options = checkOptions("mapHtml", options, MAP_KEYS);
  const leaflet = (options.leafletUrl ?? "https://unpkg.com/leaflet@1.9.4/dist/").replace(
    /\/?$/,
    "/",
  );
  const tiles = options.tiles ?? "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  const attribution = options.attribution ?? "&copy; OpenStreetMap contributors";
  const title = escapeHtml(options.title ?? "ICOS stations");
  const data = JSON.stringify(markersToGeoJson(markers)).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="${escapeHtml(leaflet)}leaflet.css">
<style>html, body, #map { height: 100%; margin: 0 }</style>
</head>
<body>
<div id="map"></div>
<script type="application/json" id="stations">${data}</script>
<script src="${escapeHtml(leaflet)}leaflet.js"></script>
<script>
(function () {
  var data = JSON.parse(document.getElementById("stations").textContent);
  var map = L.map("map", { preferCanvas: false });
  L.tileLayer(${JSON.stringify(tiles)}, { maxZoom: 18, attribution: ${
    JSON.stringify(attribution)
  } }).addTo(map);
  var bounds = [];
  data.features.forEach(function (f) {
    var p = f.properties, c = f.geometry.coordinates;
    var popup = document.createElement("div");
    var h = document.createElement("strong");
    h.textContent = p.title;
    popup.appendChild(h);
    Object.keys(p).forEach(function (k) {
      if (k === "title" || p[k] === undefined || p[k] === null || p[k] === "") return;
      var line = document.createElement("div");
      line.textContent = k + ": " + p[k];
      popup.appendChild(line);
    });
    L.circleMarker([c[1], c[0]], { radius: 6, weight: 1, color: "#1f4e79", fillOpacity: 0.8, className: "station-marker" })
      .bindPopup(popup).bindTooltip(p.title).addTo(map);
    bounds.push([c[1], c[0]]);
  });
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 8 }); else map.setView([55, 10], 4);
  window.stationCount = bounds.length;
})();
</script>
</body>
</html>
`;
}
