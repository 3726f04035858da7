// Private: keeps credentials and terminal control sequences out of messages.

/** `scheme://user:password@host` → `scheme://***@host`, wherever it occurs in `text`. */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, "$1***@");
}

/**
 * Text safe to print on a terminal: escape sequences (CSI, OSC, …) and
 * other control characters removed; newlines and tabs kept.
 */
export function stripControls(text: string): string {
  // OSC … BEL/ST, CSI … final byte, other two-byte escapes (7-bit and C1 forms)
  return text
    // deno-lint-ignore no-control-regex
    .replace(/(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?/g, "")
    // deno-lint-ignore no-control-regex
    .replace(/(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?/g, "")
    // deno-lint-ignore no-control-regex
    .replace(/\x1b[ -~]?/g, "")
    // deno-lint-ignore no-control-regex
    .replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, "");
}
