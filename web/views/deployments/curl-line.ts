/**
 * The shell command that repeats a prediction made in the UI, for the "Try it" panel: POSIX single
 * quoting (a ' inside becomes '\''), the key as an environment variable rather than pasted in.
 */

/** One shell word, single-quoted when it holds anything but safe characters. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `curl -X POST URL -H … -d BODY`; with `withKey`, an Authorization header reading $FLYWHEEL_KEY. */
export function curlLine(url: string, body: unknown, withKey = false): string {
  const parts = ['curl', '-X', 'POST', shellQuote(url), '-H', shellQuote('content-type: application/json')];
  if (withKey) parts.push('-H', '"authorization: Bearer $FLYWHEEL_KEY"');
  parts.push('-d', shellQuote(JSON.stringify(body)));
  return parts.join(' ');
}
