// Original-file parsers against Python's readers of the same files, in the
// same run: parseAtcCsv vs pandas.read_csv (the emulator's 8760-row ATC
// level-2 file, full layout), parseNetCDFTable vs netCDF4-python (its
// ObsPack file), parseEtcCsv vs pandas (the ETC archive's FLUXES table).
// Prints median seconds and ratios (ours / peer; below 1 is faster).
//
//   ICOSCP_PYTHON=<python with pandas, netCDF4> deno run -A --v8-flags=--expose-gc bench/originals_peer.ts [reps]

import { join } from "node:path";
import { buildDataset } from "../emulator/mod.ts";
import { parseAtcCsv, parseEtcCsv, parseNetCDFTable } from "../src/originals/mod.ts";
import { zipEntries, zipRead } from "../src/_util/zip_reader.ts";
import { time } from "./_timing.ts";

const reps = Number(Deno.args[0] ?? 15);
const python = Deno.env.get("ICOSCP_PYTHON") ?? "python3";
const ds = await buildDataset();
const find = (p: string) => ds.objects.find((o) => o.fileName.includes(p))!;
const dir = await Deno.makeTempDir({ prefix: "icoscp-originals-bench-" });
try {
  const unzip = async (zip: Uint8Array, name?: string) => {
    const e = zipEntries(zip).find((e) => name === undefined || e.name === name)!;
    return await zipRead(zip, e);
  };
  const atc = await unzip(find("L2-2024.1_HTM_150.0_CTS_CH4").file());
  const obs = find("co2_htm_tower-insitu_466").file();
  const etc = await unzip(find("ICOSETC_SE-Htm_ARCHIVE_L2").file(), "ICOSETC_SE-Htm_FLUXES_L2.csv");
  const paths = [join(dir, "atc.csv"), join(dir, "obspack.nc"), join(dir, "fluxes.csv")];
  await Deno.writeFile(paths[0], atc);
  await Deno.writeFile(paths[1], obs);
  await Deno.writeFile(paths[2], etc);
  // ours read from disk too, as the peer does
  const ours = {
    atc: (await time(reps, async () => parseAtcCsv(await Deno.readFile(paths[0])))).median,
    obspack: (await time(reps, async () => await parseNetCDFTable(await Deno.readFile(paths[1]))))
      .median,
    etc: (await time(reps, async () => parseEtcCsv(await Deno.readFile(paths[2])))).median,
  };
  const out = await new Deno.Command(python, {
    args: [new URL("./originals_peer.py", import.meta.url).pathname, String(reps), ...paths],
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error("the Python peer failed");
  const peer = JSON.parse(new TextDecoder().decode(out.stdout)) as typeof ours;
  console.log("file                         ours (ms)  peer (ms)  ours/peer");
  for (
    const [k, label] of [
      ["atc", "ATC L2 8760 rows vs pandas"],
      ["obspack", "ObsPack 720 rows vs netCDF4"],
      ["etc", "ETC FLUXES 1440 vs pandas"],
    ] as const
  ) {
    console.log(
      `${label.padEnd(28)} ${(ours[k] * 1000).toFixed(2).padStart(9)} ${
        (peer[k] * 1000).toFixed(2).padStart(10)
      } ${(ours[k] / peer[k]).toFixed(2).padStart(10)}`,
    );
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
