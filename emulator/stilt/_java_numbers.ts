// Private: number-to-text conversions of the JVM-based STILT service, so the
// emulator prints numbers the way the real one does:
// * `javaDouble`: Java's Double.toString (CSV lat/lon of stationinfo);
// * `sprayNumber`: spray-json's JsNumber(Double) (a BigDecimal made from
//   Double.toString), used in every JSON answer; NaN and infinities are `null`;
// * `javaDecimal3`: java.text.NumberFormat for Locale.ROOT without grouping
//   (at most 3 fraction digits, HALF_EVEN), used in the packaged time-series CSV.

/** Digits and decimal exponent of the shortest round-trip form: value = 0.d1d2… × 10^exp. */
function shortestDigits(x: number): { digits: string; exp: number } {
  const [mant, e] = Math.abs(x).toExponential().split("e");
  const digits = mant.replace(".", "");
  return { digits, exp: Number(e) + 1 };
}

/** Java's `Double.toString(x)`. */
export function javaDouble(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  if (x === 0) return sign + "0.0";
  const a = Math.abs(x);
  const { digits, exp } = shortestDigits(a);
  if (a >= 1e-3 && a < 1e7) {
    if (exp <= 0) return `${sign}0.${"0".repeat(-exp)}${digits}`;
    if (digits.length <= exp) return `${sign}${digits}${"0".repeat(exp - digits.length)}.0`;
    return `${sign}${digits.slice(0, exp)}.${digits.slice(exp)}`;
  }
  const frac = digits.length > 1 ? digits.slice(1) : "0";
  return `${sign}${digits[0]}.${frac}E${exp - 1}`;
}

/** spray-json's rendering of a `Double` (via `BigDecimal(Double.toString(x))`); NaN and infinities give `null`. */
export function sprayNumber(x: number): string {
  if (!Number.isFinite(x)) return "null";
  const java = javaDouble(x);
  // Parse the Java text as BigDecimal(String) does: unscaled digits and scale.
  const m = /^(-?)(\d+)\.(\d+)(?:E(-?\d+))?$/.exec(java)!;
  const [, sign, intPart, fracPart, expText] = m;
  const exp = expText === undefined ? 0 : Number(expText);
  let unscaled = (intPart + fracPart).replace(/^0+(?=\d)/, "");
  const scale = fracPart.length - exp;
  if (unscaled === "") unscaled = "0";
  // BigDecimal.toString
  const adjusted = -scale + (unscaled.length - 1);
  if (scale >= 0 && adjusted >= -6) {
    if (scale === 0) return sign + unscaled;
    const padded = unscaled.padStart(scale + 1, "0");
    const cut = padded.length - scale;
    return `${sign}${padded.slice(0, cut)}.${padded.slice(cut)}`;
  }
  const mant = unscaled.length > 1 ? `${unscaled[0]}.${unscaled.slice(1)}` : unscaled;
  return `${sign}${mant}E${adjusted >= 0 ? "+" : ""}${adjusted}`;
}

/** `NumberFormat.getNumberInstance(Locale.ROOT)` without grouping: ≤ 3 fraction digits, HALF_EVEN. */
export function javaDecimal3(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "-∞";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const a = Math.abs(x);
  const t = a * 1000;
  let text = a.toFixed(3);
  const floor = Math.floor(t);
  if (t - floor === 0.5 && (floor + 0.5) / 1000 === a && floor % 2 === 0) {
    // an exact tie: toFixed rounded up, HALF_EVEN wants the even neighbour
    text = (floor / 1000).toFixed(3);
  }
  text = text.replace(/\.?0+$/, "");
  return sign + text;
}
