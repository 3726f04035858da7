// The same arrays as the official Python client: icoscp_core from PyPI and
// this library fetch the same objects from the emulator; every value must
// agree (time as epoch ms, flags as one-character strings, masked values NaN).

import assert from "node:assert/strict";
import { join } from "node:path";
import { CarbonPortal } from "../../mod.ts";
import { startEmulator } from "../../emulator/mod.ts";
import { peerTest, python as interpreter } from "../_peers.ts";

Deno.test(
  peerTest("Dobj.getColumns() gives the arrays icoscp_core gives for the same objects", {
    python: ["icoscp_core", "numpy"],
  }, async () => {
    await using emu = await startEmulator();
    const objects = emu.dataset.objects.filter((o) => o.kind === "data" && o.nRows);
    const uris = objects.map((o) => `${emu.endpoints.metaInstancePrefix}objects/${o.id}`);
    const dir = await Deno.makeTempDir({ prefix: "icoscp-peer-" });
    try {
      const spec = join(dir, "emu.json");
      await Deno.writeTextFile(
        spec,
        JSON.stringify({
          endpoints: emu.endpoints,
          user: emu.user,
          password: emu.password,
          objects: uris,
        }),
      );
      const out = await new Deno.Command(interpreter, {
        args: [new URL("./dobj_peer.py", import.meta.url).pathname, spec],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
      const python = JSON.parse(new TextDecoder().decode(out.stdout)) as Record<
        string,
        Record<string, (number | string | null)[]>
      >;
      const cp = new CarbonPortal({
        portal: emu.endpoints,
        auth: { user: emu.user, password: emu.password },
      });
      let values = 0;
      for (const uri of uris) {
        const d = await cp.dobj(uri);
        for (const keep of [false, true]) {
          const ours = await d.getColumns(undefined, { keepBadData: keep });
          const theirs = python[`${uri}|${keep}`];
          assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort(), uri);
          for (const [name, col] of Object.entries(ours)) {
            const mine = Array.from(
              col as ArrayLike<number | string>,
              (v) => (typeof v === "number" && Number.isNaN(v) ? null : v),
            );
            assert.deepEqual(mine, theirs[name], `${uri} ${name} keepBadData=${keep}`);
            values += mine.length;
          }
        }
      }
      assert.ok(values > 100_000, `compared ${values} values`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }),
);
