import assert from "node:assert/strict";
import { mapHtml, markersToGeoJson } from "../../src/discovery/mod.ts";

Deno.test("markersToGeoJson() writes lon-lat points with the details and skips unplaced markers", () => {
  const g = markersToGeoJson([
    {
      lat: 56.0976,
      lon: 13.4189,
      title: "Hyltemossa (HTM)",
      details: { id: "HTM", elevation: 115 },
    },
    { lat: NaN, lon: NaN, title: "Ship" },
  ]);
  assert.deepEqual(g, {
    type: "FeatureCollection",
    features: [{
      type: "Feature",
      geometry: { type: "Point", coordinates: [13.4189, 56.0976] },
      properties: { title: "Hyltemossa (HTM)", id: "HTM", elevation: 115 },
    }],
  });
});

Deno.test("mapHtml() embeds the stations as inert JSON and takes a local Leaflet", () => {
  const html = mapHtml(
    [{
      lat: 1,
      lon: 2,
      title: "</script><script>alert(1)</script>",
      details: { note: "<b>x</b>" },
    }],
    { leafletUrl: "http://127.0.0.1:9000/leaflet", title: "A & B" },
  );
  assert.match(html, /<script src="http:\/\/127\.0\.0\.1:9000\/leaflet\/leaflet\.js"><\/script>/);
  assert.match(html, /<title>A &#38; B<\/title>/);
  assert.equal((html.match(/<\/script>/g) ?? []).length, 3);
  const json = /<script type="application\/json" id="stations">(.*?)<\/script>/s.exec(html)![1];
  assert.equal(JSON.parse(json).features[0].properties.title, "</script><script>alert(1)</script>");
});
