// Private: the command line's help. Every command has a line in `icoscp
// --help` and a page of its own (`icoscp <command> --help`): what it does,
// its options and an example. Columns are aligned to the widest entry.

/** The version of the package (tests/cli/cli_help_test.ts keeps it equal to deno.json's). */
export const VERSION = "0.1.0";

/** One command's help. */
export interface CommandHelp {
  /** The command as typed (`dobj`, `stilt fp`). */
  name: string;
  /** Its positional arguments (`<ref> meta|citation|data|download`). */
  args: string;
  /** One line: what it does. */
  about: string;
  /** Its options: `[flag and value, what it does]`. */
  options: [string, string][];
  /** Example command lines. */
  examples: string[];
}

/** The commands, in the order `--help` lists them. */
export const COMMANDS: CommandHelp[] = [
  {
    name: "stations",
    args: "",
    about: "list stations (id, name, theme, class, country, position)",
    options: [
      ["--theme AS,ES,OS", "atmosphere, ecosystem, ocean (any case)"],
      ["--project icos|all", "ICOS stations only (default) or every station"],
      ["--country DE,SE", "ISO country codes"],
    ],
    examples: ["icoscp stations --theme AS --country SE"],
  },
  {
    name: "station",
    args: "<id>",
    about: "a station and its data objects",
    options: [["--level 1|2|3|all", "data level of the objects listed (default 2)"]],
    examples: ["icoscp station GAT --level all"],
  },
  {
    name: "dobj",
    args: "<ref> meta|citation|data|download",
    about: "a data object (PID, URI or id): metadata, citation, data or the file",
    options: [
      ["--style plain|bibtex|ris", "citation style (citation)"],
      ["--columns a,b", "columns to read, with the time column (data; default all)"],
      ["--no-time", "leave the time column out (data)"],
      ["--offset n, --length n", "rows to read (data)"],
      ["--keep-bad-data", "keep values whose quality flag is not good (data)"],
      ["--out f.csv|.arrow|.parquet", "write the data to a file (data)"],
      ["--dir folder", "where to save the file (download; default here)"],
      ["--cache folder", "reuse verified files kept there (download)"],
      ["--accept-licence", "accept the data licence for this file, no account needed (download)"],
    ],
    examples: [
      "icoscp dobj 11676/IM7PJYcuhiBpHtvEVuLhVk2M meta",
      "icoscp dobj 11676/IM7PJYcuhiBpHtvEVuLhVk2M data --columns co2 --out gat.csv",
    ],
  },
  {
    name: "download",
    args: "<ref>",
    about: "the original file of a data object, verified (as dobj <ref> download)",
    options: [
      ["--dir folder", "where to save the file (default here)"],
      ["--cache folder", "reuse verified files kept there"],
      ["--accept-licence", "accept the object's data licence for this file (no account needed)"],
    ],
    examples: ["icoscp download 11676/IM7PJYcuhiBpHtvEVuLhVk2M --accept-licence"],
  },
  {
    name: "search",
    args: "",
    about: "find data objects: a table of the first page and the facets, or every match",
    options: [
      ["--station GAT,HTM", "station ids (any case)"],
      ["--spec atcCo2L2DataObject", "data types: short name, label or URI"],
      ["--variable co2,ch4", "objects whose data type has these columns"],
      ["--level 2 --project icos --theme AS", "level, project, theme (AS/ES/OS or names)"],
      ["--country DE,Sweden --station-class 1", "station country and ICOS class"],
      ["--sampling-height 100 | 50:200", "sampling height in metres, or a range"],
      ["--from 2020-01-01 --to 2020-12-31", "coverage overlaps the period"],
      ["--submitted-after T --submitted-before T", "submission time"],
      [
        "--keyword ObsPack --file-name 'ICOS_ATC_*'",
        "keywords or file-name text; a file-name glob",
      ],
      ["--bbox minLon,minLat,maxLon,maxLat", "area (or a WKT POLYGON)"],
      ["--collection DOI --pids id,id", "members of a collection; given objects"],
      ["--size min:max --nrt true|false", "file size in bytes; NRT data only or none"],
      ["--all-versions", "deprecated versions too"],
      ["--limit N --offset N --order-by size", "paging and order (default newest first)"],
      ["--all", "every match, a page of 1000 at a time, with a progress bar"],
      ["--format csv|json|parquet --out FILE", "output format and file"],
    ],
    examples: [
      "icoscp search --station GAT,HTM --variable co2 --level 2 --from 2020-01-01",
      "icoscp search --theme ES --country FR --all --format parquet --out fr.parquet",
    ],
  },
  {
    name: "mirror",
    args: "",
    about:
      "copy every match into a Parquet dataset DuckDB and Spark read; reruns fetch only what is new",
    options: [
      ["--out DIR", "the dataset's folder (spec=/year=/part-*.parquet, index/, _manifest.json)"],
      ["(the search's filters)", "--station, --spec, --variable, --level, --from, … as for search"],
      ["--all", "every object of the portal (no filter)"],
      ["--concurrency N", "objects fetched at once (default 6)"],
      ["--originals", "also the original files, verified against their SHA-256"],
      ["--compression zstd|snappy", "compression of the parts (default zstd)"],
      ["--shard i/n", "only this machine's share: n machines write disjoint parts"],
    ],
    examples: [
      "icoscp mirror --out icos-l2 --theme AS --level 2 --variable co2",
      "icoscp mirror --out icos-l2 --theme AS --level 2 --shard 0/4",
    ],
  },
  {
    name: "collections",
    args: "",
    about: "list collections (id, DOI, title, number of members)",
    options: [],
    examples: ["icoscp collections"],
  },
  {
    name: "collection",
    args: "<ref>",
    about: "a collection (URI, id or DOI): title, citation and members",
    options: [],
    examples: ["icoscp collection 10.18160/VXCS-95EV"],
  },
  {
    name: "sparql",
    args: "<query> | --file <f>",
    about: "run a SPARQL SELECT query",
    options: [
      ["--file f.rq", "read the query from a file"],
      ["--format json|csv|tsv|html", "output format (default csv)"],
    ],
    examples: ["icoscp sparql --file query.rq --format tsv"],
  },
  {
    name: "stilt find",
    args: "",
    about: "find STILT stations (with the months they have results for)",
    options: [
      ["--country SE", "country codes"],
      ["--id a,b", "STILT station ids"],
      ["--icos", "only those that model ICOS stations"],
      ["--sdate 2018-01, --edate …", "with results in this period"],
      ["--search text", "in ids and names"],
    ],
    examples: ["icoscp stilt find --country SE --icos"],
  },
  {
    name: "stilt ts",
    args: "<id> <start> <end>",
    about: "modelled STILT time series of a station",
    options: [
      ["--columns co2", "columns or column groups (default: all)"],
      ["--hours 0,12", "hours of the day (UTC)"],
      ["--out f.csv", "write to a file"],
    ],
    examples: ["icoscp stilt ts HTM150 2018-01-01 2018-01-31 --columns co2 --out htm.csv"],
  },
  {
    name: "stilt fp",
    args: "<id> <start> <end>",
    about: "STILT footprints of a station: a map, NetCDF",
    options: [
      ["--hours 0,12", "hours of the day (UTC)"],
      ["--png f.png", "draw the summed footprint on a map"],
      ["--nc f.nc", "write the footprints as NetCDF"],
      ["--via auto|raster|netcdf", "how to fetch them (default auto)"],
    ],
    examples: ["icoscp stilt fp HTM150 2018-01-01 2018-01-02 --hours 12 --png fp.png"],
  },
  {
    name: "login",
    args: "",
    about: "log in and save the login for this portal (mode 0600)",
    options: [
      ["--user email", "the account (asked for when missing)"],
      ["--password-stdin", "read the password from standard input (scripts)"],
      [
        "--fix-permissions",
        "make a saved login others may read (as icoscp_core writes it) private, and use it",
      ],
    ],
    examples: [
      "icoscp login --user me@example.org",
      `printf '%s' "$PW" | icoscp login --user me@example.org --password-stdin`,
    ],
  },
  {
    name: "serve-emulator",
    args: "",
    about: "says how to run the emulator, which is its own package (@icoscp/emulator)",
    options: [],
    examples: [
      "icoscp serve-emulator   # prints: deno run -A jsr:@icoscp/emulator/main --port N",
    ],
  },
];

const GLOBAL: [string, string][] = [
  ["--portal <p>", "icos (default), sites, cities, or an emulator URL (http://127.0.0.1:…)"],
  ["--config <file>", "credentials file (default: the login saved for the portal)"],
  ["--json", "machine-readable output"],
  ["-h, --help", "this text; `icoscp <command> --help` for one command"],
  ["--version", "the version of icoscp and of Deno"],
];

/** Two aligned columns, indented by two spaces. */
export function columns(rows: [string, string][]): string {
  const width = Math.max(0, ...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`.trimEnd() + "\n").join("");
}

/** `icoscp --help`. */
export function usage(): string {
  return `Usage: icoscp [--portal icos|sites|cities|<emulator url>] [--json] <command> …

Commands:
${columns(COMMANDS.map((c) => [`${c.name}${c.args ? ` ${c.args}` : ""}`, c.about]))}
Options:
${columns(GLOBAL)}
Run icoscp <command> --help for a command's options and an example.

Exit codes: 0 success, 1 internal error (a bug), 2 usage (command, option values, --config),
3 portal or network (HTTP, connection, timeout, rejected query or login), 4 bad data.
`;
}

/** The help of the command that `positionals` start with, if any (`stilt fp` before `stilt`). */
export function commandHelp(positionals: string[]): string | undefined {
  const two = positionals.slice(0, 2).join(" ");
  const c = COMMANDS.find((c) => c.name === two) ?? COMMANDS.find((c) => c.name === positionals[0]);
  if (c) return pageOf(c);
  if (positionals[0] === "stilt") {
    const subs = COMMANDS.filter((c) => c.name.startsWith("stilt "));
    return `Usage: icoscp stilt find|ts|fp …\n\n${
      columns(subs.map((c) => [`${c.name}${c.args ? ` ${c.args}` : ""}`, c.about]))
    }\nRun icoscp stilt <find|ts|fp> --help for their options.\n`;
  }
  return undefined;
}

function pageOf(c: CommandHelp): string {
  return `Usage: icoscp [--portal p] [--json] ${c.name}${c.args ? ` ${c.args}` : ""}${
    c.options.length ? " [options]" : ""
  }\n\n${c.about[0].toUpperCase()}${c.about.slice(1)}.\n${
    c.options.length ? `\nOptions:\n${columns(c.options)}` : ""
  }\nExample${c.examples.length > 1 ? "s" : ""}:\n${c.examples.map((e) => `  ${e}\n`).join("")}`;
}
