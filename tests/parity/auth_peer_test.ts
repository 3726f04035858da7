// The credentials files agree with the Python clients byte for byte where it
// matters: icoscp_core's PasswordAuth reads what we write and we read what it
// writes; icoscp's base64 password encoding round-trips through Python's
// base64 module. No network: the files only.

import assert from "node:assert/strict";
import { join } from "node:path";
import { readConfiguration, writeConfiguration } from "../../src/auth/mod.ts";
import { writeConfigFile } from "../../src/auth/_auth_file.ts";
import { peerTest, python } from "../_peers.ts";

async function py(code: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command(python, { args: ["-c", code, ...args], stderr: "piped" })
    .output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

const token = btoa('[4102444800000,"rbon@portoca.lis","Password"]\u001esig');
const password = "pa$$wörd 🙂";

Deno.test(peerTest(
  "icoscp_core's PasswordAuth reads our credentials file and we read the one it writes",
  { python: ["icoscp_core.auth"] },
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      const ours = join(dir, "cpauthToken_auth_conf.json");
      await writeConfigFile(ours, {
        user: "rbon@portoca.lis",
        password,
        cookie: `cpauthToken=${token}`,
      });
      const read = JSON.parse(
        await py(
          `import json, sys
from icoscp_core.icos import ICOS_CONFIG
from icoscp_core.auth import PasswordAuth
a = PasswordAuth.load_from_file(sys.argv[1], ICOS_CONFIG)
t = a.get_token()  # fresh: no login
print(json.dumps({"user": a._user_id, "password": a._password, "cookie": t.cookie_value, "tokenUser": t.user_id}))`,
          ours,
        ),
      );
      assert.deepEqual(read, {
        user: "rbon@portoca.lis",
        password,
        cookie: `cpauthToken=${token};`,
        tokenUser: "rbon@portoca.lis",
      });

      const theirs = join(dir, "theirs.json");
      await py(
        `import sys
from icoscp_core.icos import ICOS_CONFIG
from icoscp_core.auth import PasswordAuth, parse_auth_token
PasswordAuth(sys.argv[2], sys.argv[3], ICOS_CONFIG, parse_auth_token(sys.argv[4])).save_to_file(sys.argv[1])`,
        theirs,
        "rbon@portoca.lis",
        password,
        `cpauthToken=${token};`,
      );
      await Deno.chmod(theirs, 0o600);
      const c = await readConfiguration(theirs);
      assert.deepEqual(c, {
        username: "rbon@portoca.lis",
        password,
        token: `cpauthToken=${token};`,
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
));

Deno.test(peerTest(
  "icoscp's base64 passwords: Python decodes ours and we decode Python's; plain ones stay plain",
  { python: ["base64"] },
  async () => {
    const dir = await Deno.makeTempDir();
    try {
      const path = join(dir, ".icos_carbon_portal");
      await writeConfiguration(path, { username: "u@x", password, token: "cpauthToken=abc" });
      const decoded = await py(
        `import base64, json, sys
c = json.load(open(sys.argv[1]))
sys.stdout.write(base64.b64decode(c["password"]).decode("utf-8"))`,
        path,
      );
      assert.equal(decoded, password);
      for (const pw of [password, "pa$$w0rd", "x", "correct horse battery staple"]) {
        const encoded = await py(
          `import base64, sys
sys.stdout.write(base64.b64encode(sys.argv[1].encode("utf-8")).decode())`,
          pw,
        );
        await Deno.writeTextFile(path, JSON.stringify({ username: "u@x", password: encoded }));
        assert.equal((await readConfiguration(path)).password, pw, pw);
      }
      // the docs' plain-text example: Python's b64decode fails, so it is the password itself
      await Deno.writeTextFile(path, JSON.stringify({ username: "u@x", password: "pa$$w0rd" }));
      assert.equal((await readConfiguration(path)).password, "pa$$w0rd");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
));
