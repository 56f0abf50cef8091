/** Markdown and HTML for cells and outputs: marked renders, DOMPurify strips anything that could run. */
import DOMPurify from 'dompurify';
import { marked } from 'marked';

export function renderMarkdown(text: string): string {
  return DOMPurify.sanitize(marked.parse(text, { async: false, gfm: true }));
}

export function sanitizeHtml(html: string): string {
  return DOMPurify.sanitize(html);
}
