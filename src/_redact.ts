// Private: keeps credentials and terminal control sequences out of messages.

/** `scheme://user:password@host` → `scheme://***@host`, wherever it occurs in `text`. */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, "$1***@");
}
