/**
 * Markdown and HTML for cells and outputs: marked renders, DOMPurify strips anything that could run.
 * A markdown cell's `attachment:` images resolve to its attachments; `$…$` and `$$…$$` become math
 * once KaTeX is loaded (`loadMath`: fetched on first use, so the main bundle stays small).
 */
import DOMPurify from 'dompurify';
import { Marked, type MarkedExtension, type Tokens } from 'marked';

export type Attachments = Record<string, Record<string, string>>;

let withMath: Marked | null = null;
let mathLoading: Promise<void> | null = null;
const plain = new Marked({ async: false, gfm: true });

/** Does the text hold math for KaTeX (`$x$` or `$$…$$`)? Cheap: decides whether KaTeX is fetched. */
export function hasMath(text: string): boolean {
  return /\$\$[\s\S]+?\$\$|(^|[^\\$])\$(?!\s)[^$\n]+?(?<!\s)\$/.test(text);
}

/** Loads KaTeX and its stylesheet once; markdown rendered afterwards shows math. */
export function loadMath(): Promise<void> {
  mathLoading ??= Promise.all([import('marked-katex-extension'), import('katex/dist/katex.min.css')]).then(([ext]) => {
    withMath = new Marked({ async: false, gfm: true }, ext.default({ throwOnError: false }) as MarkedExtension);
  });
  return mathLoading;
}

export function mathLoaded(): boolean {
  return withMath !== null;
}

export function renderMarkdown(text: string, attachments?: Attachments): string {
  const walkTokens = attachments
    ? (t: { type: string }) => {
        if (t.type === 'image') (t as Tokens.Image).href = attachmentUrl((t as Tokens.Image).href, attachments);
      }
    : undefined;
  const html = (withMath ?? plain).parse(text, { async: false, gfm: true, walkTokens }) as string;
  return DOMPurify.sanitize(html);
}

export function sanitizeHtml(html: string): string {
  return DOMPurify.sanitize(html);
}

/** `attachment:name` as a data URL (nbformat keeps attachments base64, SVG as text); other links as they are. */
function attachmentUrl(href: string, attachments: Attachments): string {
  if (!href.startsWith('attachment:')) return href;
  const bundle = attachments[decodeURIComponent(href.slice('attachment:'.length))];
  if (!bundle) return href;
  const svg = bundle['image/svg+xml'];
  if (svg !== undefined) return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  const mime = Object.keys(bundle).find((m) => m.startsWith('image/'));
  return mime ? `data:${mime};base64,${bundle[mime].replace(/\s+/g, '')}` : href;
}
