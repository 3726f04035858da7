// Private: the emulator's smooth synthetic weather at a STILT station:
// wind, boundary layer, daylight and growing season by slot.

import { gaussian, stream, uniform } from "./_keyed_random.ts";
import type { StiltStationDef } from "./_stations.ts";

/** Weather and transport state of one slot, shared by time series and footprint. */
export interface SlotWeather {
  /** Eastward wind, m/s. */
  u: number;
  /** Northward wind, m/s. */
  v: number;
  /** Vertical wind, m/s. */
  w: number;
  /** Direction the wind comes from, degrees clockwise from north. */
  dir: number;
  /** Wind speed, m/s. */
  speed: number;
  /** Mixing height, m. */
  zi: number;
  /** Surface influence (sum of the footprint), ppm per (µmol m-2 s-1). */
  influence: number;
  /** Curvature of the plume, 1/km (signed). */
  curvature: number;
}

export const WIND_PERIODS_DAYS = [2.3, 4.1, 7.7, 13.1];

export const WIND_AMPLITUDES = [3.0, 2.4, 1.8, 1.2];

export function dayOfYear(sec: number): number {
  const d = new Date(sec * 1000);
  return (sec - Date.UTC(d.getUTCFullYear(), 0, 1) / 1000) / 86400;
}

export function localSolarHour(sec: number, lon: number): number {
  const h = (sec % 86400) / 3600 + lon / 15;
  return ((h % 24) + 24) % 24;
}

/** Daylight factor in [0, 1]. */
export function daylight(sec: number, lon: number): number {
  return Math.max(0, Math.sin(Math.PI * (localSolarHour(sec, lon) - 6) / 12));
}

/**
 * Depth of mixing in [0, 1]: 0 before dawn (5 h local solar time), when the
 * shallow night layer holds the night's emissions, 1 twelve hours later.
 * The observation series of the emulator peak at the same hour
 * (emulator/_observation_series.ts), as real tall-tower records do.
 */
export function mixing(sec: number, lon: number): number {
  return 0.5 - 0.5 * Math.cos(2 * Math.PI * (localSolarHour(sec, lon) - 5) / 24);
}

/** Growing-season factor in [0, 1]. */
export function growing(sec: number): number {
  const doy = dayOfYear(sec);
  return Math.max(0, Math.sin(Math.PI * (doy - 90) / 210));
}

/** The synthetic weather of a slot: smooth in time (sums of sinusoids with seeded phases) plus a little noise. */
export function slotWeather(station: StiltStationDef, sec: number, seed: number): SlotWeather {
  const days = sec / 86400;
  let u = 3.2;
  let v = 0.6;
  WIND_PERIODS_DAYS.forEach((p, k) => {
    const pu = 2 * Math.PI * uniform(seed, "wind-u", station.id, k);
    const pv = 2 * Math.PI * uniform(seed, "wind-v", station.id, k);
    u += WIND_AMPLITUDES[k] * Math.sin(2 * Math.PI * days / p + pu);
    v += WIND_AMPLITUDES[k] * Math.sin(2 * Math.PI * days / (p * 1.13) + pv);
  });
  const rng = stream(seed, "weather", station.id, sec);
  u += 0.3 * rng.gaussian();
  v += 0.3 * rng.gaussian();
  const w = 0.01 * rng.gaussian();
  const speed = Math.hypot(u, v);
  const dir = ((Math.atan2(-u, -v) * 180) / Math.PI + 360) % 360;
  const season = 0.5 + 0.5 * growing(sec);
  const zi = Math.max(
    60,
    250 + 1300 * mixing(sec, station.lon) * season + 60 * rng.gaussian(),
  );
  const influence = 0.9 / Math.pow(Math.max(speed, 1.2), 0.6) *
    Math.sqrt(600 / (zi + 300)) *
    (station.alt > 500 ? 0.6 : 1);
  const curvature = 0.0004 * gaussian(seed, "curv", station.id, Math.floor(sec / 86400));
  return { u, v, w, dir, speed, zi, influence, curvature };
}
