// Test helper: finding the Python interpreter and icoscp_core for the
// fidelity tests. Missing tools skip those tests with a reason, unless
// ICOSCP_REQUIRE_PEERS=1 (CI), where they fail instead.

/** The interpreter to run (env ICOSCP_PYTHON, default python3). */
export const python: string = Deno.env.get("ICOSCP_PYTHON") ?? "python3";

/** Whether missing peers are failures rather than skips. */
export const requirePeers: boolean = Deno.env.get("ICOSCP_REQUIRE_PEERS") === "1";

function probe(): string | undefined {
  try {
    const out = new Deno.Command(python, {
      args: ["-c", "import icoscp_core, numpy; print(icoscp_core.__version__)"],
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
    if (out.success) return undefined;
    return `${python} cannot import icoscp_core: ${
      new TextDecoder().decode(out.stderr).trim().split("\n").at(-1)
    }`;
  } catch (e) {
    return `${python} is not available (${(e as Error).message})`;
  }
}

/** Why the Python peer cannot run, or undefined when it can. */
export const missingPeer: string | undefined = probe();

/** Test options: ignored with the reason when the peer is missing (unless required). */
export function withPeer(name: string): { name: string; ignore: boolean } {
  const ignore = missingPeer !== undefined && !requirePeers;
  if (ignore) {
    console.warn(
      `skipping "${name}": ${missingPeer} (set ICOSCP_PYTHON, or pip install icoscp_core)`,
    );
  }
  return { name, ignore };
}
