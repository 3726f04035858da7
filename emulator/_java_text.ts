// Private: how the data service prints values in `/csv` output
// (docs/protocol.md §4.10): Java's Float/Double.toString, ISO instants,
// chars; null representations print as empty fields.

function shortestFloat32(v: number): string {
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return s;
  }
  return v.toPrecision(9);
}

/** Java `Float.toString` / `Double.toString` of a number. */
export function javaNumber(v: number, float32: boolean): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  const shortest = float32 ? shortestFloat32(v) : String(v);
  const [mant, expText] = Number(shortest).toExponential().split("e");
  const exp = Number(expText);
  const neg = mant.startsWith("-");
  const digits = mant.replace("-", "").replace(".", "");
  const abs = Math.abs(v);
  let out: string;
  if (abs >= 1e-3 && abs < 1e7) {
    if (exp >= 0) {
      const int = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
      const frac = digits.slice(exp + 1) || "0";
      out = `${int}.${frac}`;
    } else {
      out = `0.${"0".repeat(-exp - 1)}${digits}`;
    }
  } else {
    out = `${digits[0]}.${digits.slice(1) || "0"}E${exp}`;
  }
  return neg ? `-${out}` : out;
}

/** Java `Instant.toString` of epoch milliseconds. */
export function javaInstant(ms: number): string {
  const s = new Date(ms).toISOString();
  return s.endsWith(".000Z") ? s.replace(".000Z", "Z") : s;
}

/** One CSV cell for a stored value of a value format. */
export function csvCell(valueFormat: string, v: number): string {
  switch (valueFormat) {
    case "iso8601dateTime":
    case "isoLikeLocalDateTime":
    case "etcLocalDateTime":
      return Number.isNaN(v) ? "" : javaInstant(v);
    case "float32":
      return Number.isNaN(v) ? "" : javaNumber(v, true);
    case "float64":
      return Number.isNaN(v) ? "" : javaNumber(v, false);
    case "bmpChar":
      return v === 0 ? "" : String.fromCharCode(v);
    default:
      return v === -2147483648 ? "" : String(v);
  }
}
