// Private: STILT footprints of the emulator on the real STILT grid
// (docs/protocol.md §7.5): 480 latitudes 33 … 72.9167 °N by 1/12°, 400
// longitudes −15 … 34.875 °E by 1/8°. A footprint is a smooth plume reaching
// upwind of the station (the direction the slot's `wind.dir` comes from),
// widening with distance, normalised so that its sum is the slot's surface
// influence, and quantised in steps with zeros where negligible (as real
// footprints, made by counting particles, are).

import { slotWeather } from "./_weather.ts";
import type { StiltStationDef } from "./_stations.ts";

/** Number of latitudes of the STILT grid. */
export const N_LAT = 480;
/** Number of longitudes of the STILT grid. */
export const N_LON = 400;

/** Latitudes of the cell centres, south to north. */
export function gridLats(): Float64Array {
  return Float64Array.from({ length: N_LAT }, (_, j) => 33 + j / 12);
}

/** Longitudes of the cell centres, west to east. */
export function gridLons(): Float64Array {
  return Float64Array.from({ length: N_LON }, (_, i) => -15 + i / 8);
}

/** STILT's time coordinate: days since 2000-01-01 00:00:00 UTC. */
export function stiltTime(sec: number): number {
  return (sec - 946684800) / 86400;
}

/** The footprint of a slot as a (lat, lon) row-major grid, row 0 southernmost. */
export function footprintGrid(station: StiltStationDef, sec: number, seed: number): Float64Array {
  const wx = slotWeather(station, sec, seed);
  const lats = gridLats();
  const lons = gridLons();
  const theta = (wx.dir * Math.PI) / 180;
  const sinT = Math.sin(theta);
  const cosT = Math.cos(theta);
  const kmPerLon = 111.32 * Math.cos((station.lat * Math.PI) / 180);
  const kmPerLat = 110.57;
  const reach = Math.min(1500, 120 * wx.speed + 150); // e-folding length upwind, km
  const grid = new Float64Array(N_LAT * N_LON);
  let max = 0;
  for (let j = 0; j < N_LAT; j++) {
    const dy = (lats[j] - station.lat) * kmPerLat;
    for (let i = 0; i < N_LON; i++) {
      const dx = (lons[i] - station.lon) * kmPerLon;
      const along = dx * sinT + dy * cosT; // > 0 upwind
      const cross = dx * cosT - dy * sinT - wx.curvature * along * Math.abs(along);
      const sigma = 25 + 0.3 * Math.abs(along);
      const alongFactor = along >= 0 ? Math.exp(-along / reach) : Math.exp(-(along * along) / 800);
      const plume = alongFactor * Math.exp(-(cross * cross) / (2 * sigma * sigma)) *
        (25 / sigma);
      const r2 = dx * dx + dy * dy;
      const near = 0.6 * Math.exp(-r2 / (2 * 12 * 12));
      const value = plume + near;
      grid[j * N_LON + i] = value;
      if (value > max) max = value;
    }
  }
  // Footprints count particles in grid cells, so their values come in
  // steps: quantise to 1/400 of the maximum (this also keeps them small once
  // deflated), drop what rounds to zero, then scale to the slot's influence.
  const step = max / 400;
  let kept = 0;
  for (let k = 0; k < grid.length; k++) {
    const q = Math.round(grid[k] / step);
    grid[k] = q;
    kept += q;
  }
  const scale = wx.influence / kept;
  for (let k = 0; k < grid.length; k++) grid[k] *= scale;
  return grid;
}

/** Minimum and maximum of a grid. */
export function gridStats(grid: Float64Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of grid) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}
