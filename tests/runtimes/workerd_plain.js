// A Cloudflare Worker without the .wasm file: cpb decodes with the TypeScript engine.
import { handle } from "./workerd_worker.js";

export default { fetch: (req) => handle(req) };
