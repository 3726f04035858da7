// Child of the kill -9 test: mirrors the pids given into a folder, printing
// one line per progress event so the parent can kill it at a chosen moment.
// Usage: _mirror_child.ts <emulator url> <user> <password> <out> <pid>...
import { CarbonPortal, emulatorEndpoints } from "../../mod.ts";
import { mirror } from "../../src/mirror/mod.ts";

const [url, user, password, out, ...pids] = Deno.args;
const cp = new CarbonPortal({ portal: emulatorEndpoints(url), auth: { user, password } });
await mirror(cp, pids, {
  out,
  concurrency: 2,
  onProgress: (p) => console.log(JSON.stringify(p)),
});
