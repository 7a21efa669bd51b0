/**
 * Text from a server or a document as GitHub's Markdown shows it: as text. A summary page renders HTML tags and
 * Markdown (an image that loads from anywhere, a link), so both are escaped, and a line break would leave the
 * table cell or list item the text stands in.
 */
export function markdownText(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(/[\\`*_[\]|~!]/g, '\\$&')
    .replace(/\r?\n/g, ' ');
}
