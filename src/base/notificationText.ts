// Text from a trace inside a VS Code notification or status bar message. A notification's message turns
// `[label](https://…)` and `[label](command:…)` into links, so an attribute of a span (a recorded file
// path) could put a clickable link or command in front of the user; and both draw `$(name)` as an icon,
// so a span named `$(loading~spin) ok` would show a spinner. Trace content is shown as text, there as
// everywhere.

/** The longest piece of trace text a notification quotes. */
const MAX_CHARS = 200;

/**
 * `untrusted` as it reads, with the link and icon syntax broken: a zero-width space between `]` and
 * `(`, and between `$` and `(`, which VS Code's parsers need side by side. Long text is cut (a
 * notification is one or two lines).
 */
export function notificationText(untrusted: string): string {
  const cut = untrusted.length > MAX_CHARS ? `${untrusted.slice(0, MAX_CHARS - 1)}…` : untrusted;
  return cut.replace(/(\]\s*|\$)\(/g, (match) => `${match.slice(0, -1)}\u200b(`);
}
