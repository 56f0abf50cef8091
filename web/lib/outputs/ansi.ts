/** Jupyter tracebacks and console text colour themselves with ANSI escapes; ansi_up turns them into escaped HTML. */
import { AnsiUp } from 'ansi_up';

const ansi = new AnsiUp();
// Classes, not inline colours, so each theme picks readable ones (theme.css `.ansi-*`).
ansi.use_classes = true;

export function ansiToHtml(text: string): string {
  return ansi.ansi_to_html(text);
}
