// A Cloudflare Worker as the README recipe writes it: the .wasm imported as a
// module and handed to initDecoder.
import wasm from "./icoscp_decoder.wasm";
import { handle } from "./workerd_worker.js";

export default { fetch: (req) => handle(req, wasm) };
