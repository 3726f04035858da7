// Test helper: headless Chromium driven over the DevTools protocol (no extra
// dependency). Chromium comes from Debian (`apt-get install chromium`); tests
// need it through peerTest (tests/_peers.ts). Flags as the machine notes
// ask: no background networking, so the browser talks only to loopback.

export const chromiumPath: string = Deno.env.get("CHROMIUM") ?? "chromium";

type Json = Record<string, unknown>;

/** A page of the browser. */
export class Page {
  #send: (method: string, params?: Json) => Promise<Json>;
  /** Console messages and uncaught errors of the page. */
  readonly logs: string[];

  constructor(send: (method: string, params?: Json) => Promise<Json>, logs: string[]) {
    this.#send = send;
    this.logs = logs;
  }

  /** Evaluates an expression (awaiting promises) and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.#send("Runtime.evaluate", {
      expression,
      awaitPromise: true,
      returnByValue: true,
    });
    if (r.exceptionDetails) {
      const d = r.exceptionDetails as { exception?: { description?: string }; text?: string };
      throw new Error(`In the page: ${d.exception?.description ?? d.text}`);
    }
    return (r.result as { value: T }).value;
  }

  /** Waits until an expression is truthy. */
  async waitFor(expression: string, timeoutMs = 20_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (await this.evaluate<boolean>(`Boolean(${expression})`).catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`Timed out waiting for ${expression}; page logs:\n${this.logs.join("\n")}`);
  }

  /** Saves a PNG screenshot (of the viewport, or with `fullPage` of the whole page). */
  async screenshot(path: string, options: { fullPage?: boolean } = {}): Promise<void> {
    let clip: Json | undefined;
    if (options.fullPage) {
      const m = await this.#send("Page.getLayoutMetrics") as {
        cssContentSize: { width: number; height: number };
      };
      clip = {
        x: 0,
        y: 0,
        width: Math.ceil(m.cssContentSize.width),
        height: Math.ceil(m.cssContentSize.height),
        scale: 1,
      };
    }
    const r = await this.#send("Page.captureScreenshot", {
      format: "png",
      ...(clip ? { clip, captureBeyondViewport: true } : {}),
    });
    await Deno.writeFile(path, Uint8Array.from(atob(r.data as string), (c) => c.charCodeAt(0)));
  }
}

/** A running headless Chromium. */
export class Browser {
  #proc: Deno.ChildProcess;
  #ws: WebSocket;
  #profile: string;
  #id = 0;
  #pending = new Map<number, { resolve: (v: Json) => void; reject: (e: Error) => void }>();
  #listeners = new Map<string, (params: Json) => void>();

  private constructor(proc: Deno.ChildProcess, ws: WebSocket, profile: string) {
    this.#proc = proc;
    this.#ws = ws;
    this.#profile = profile;
    ws.onmessage = (e) => {
      const msg = JSON.parse(e.data);
      if (msg.id !== undefined) {
        const p = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(`${msg.error.message}`));
        else p?.resolve(msg.result);
      } else if (msg.method) {
        this.#listeners.get(`${msg.sessionId ?? ""}|${msg.method}`)?.(msg.params);
      }
    };
  }

  /** Starts Chromium headless with a fresh profile. */
  static async launch(): Promise<Browser> {
    const profile = await Deno.makeTempDir({ prefix: "icoscp-chromium-" });
    const proc = new Deno.Command(chromiumPath, {
      args: [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        `--user-data-dir=${profile}`,
        "--remote-debugging-port=0",
        "about:blank",
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const reader = proc.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    let url: string | undefined;
    const deadline = Date.now() + 30_000;
    while (!url && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
      url = /DevTools listening on (ws:\/\/\S+)/.exec(text)?.[1];
    }
    // keep draining stderr so Chromium never blocks on it
    (async () => {
      try {
        while (!(await reader.read()).done) { /* discard */ }
      } catch { /* closed */ }
    })();
    if (!url) {
      proc.kill();
      throw new Error(`Chromium did not start:\n${text}`);
    }
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    return new Browser(proc, ws, profile);
  }

  #call(method: string, params: Json = {}, sessionId?: string): Promise<Json> {
    const id = ++this.#id;
    this.#ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
  }

  /** Opens a page at a URL and waits for its load event. */
  async newPage(url: string): Promise<Page> {
    const { targetId } = await this.#call("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await this.#call("Target.attachToTarget", {
      targetId,
      flatten: true,
    }) as { sessionId: string };
    const send = (m: string, p?: Json) => this.#call(m, p, sessionId);
    const logs: string[] = [];
    this.#listeners.set(`${sessionId}|Runtime.consoleAPICalled`, (p) => {
      logs.push(
        `console.${p.type}: ${
          (p.args as { value?: unknown; description?: string }[]).map((a) =>
            a.value ?? a.description
          ).join(" ")
        }`,
      );
    });
    this.#listeners.set(`${sessionId}|Runtime.exceptionThrown`, (p) => {
      logs.push(`exception: ${JSON.stringify((p.exceptionDetails as Json)?.exception ?? p)}`);
    });
    await send("Runtime.enable");
    await send("Page.enable");
    const loaded = new Promise<void>((resolve) =>
      this.#listeners.set(`${sessionId}|Page.loadEventFired`, () => resolve())
    );
    await send("Page.navigate", { url });
    await loaded;
    return new Page(send, logs);
  }

  /** Stops Chromium and removes its profile. */
  async close(): Promise<void> {
    try {
      await this.#call("Browser.close").catch(() => {});
    } finally {
      this.#ws.close();
      try {
        this.#proc.kill();
      } catch { /* already gone */ }
      await this.#proc.status;
      await Deno.remove(this.#profile, { recursive: true }).catch(() => {});
    }
  }
}
