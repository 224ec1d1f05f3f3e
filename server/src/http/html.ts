/**
 * Small server-rendered pages (privacy notice, unsubscribe confirmation): readable without
 * JavaScript, printable, and safe with text typed by admins (everything is escaped).
 */

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** HTML that is already safe (built from escaped parts). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** A template tag: interpolated values are escaped unless they are SafeHtml (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

function render(v: unknown): string {
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(String(v));
}

/** Text with its line breaks kept (an address typed on several lines). */
export function lines(text: string): SafeHtml {
  return new SafeHtml(
    text
      .split(/\r?\n/)
      .map((l) => escapeHtml(l))
      .join('<br>'),
  );
}

const STYLE = `
  :root { color-scheme: light; }
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b;
         background: #fff; margin: 0; }
  main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
  h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 0.5rem; }
  h2 { font-size: 1.2rem; margin: 1.75rem 0 0.5rem; }
  a { color: #0b4f9c; }
  .lang { margin: 0 0 1rem; }
  .meta { color: #4a4a4a; font-size: 0.95rem; }
  .panel { border: 1px solid #c9c9c9; border-radius: 8px; padding: 1rem; margin: 1rem 0; }
  button { font: inherit; font-weight: 600; min-height: 48px; padding: 0.6rem 1.2rem; border-radius: 8px;
           border: 2px solid #8a1c1c; background: #8a1c1c; color: #fff; cursor: pointer; }
  button:focus-visible, a:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; vertical-align: top; border-bottom: 1px solid #ddd; padding: 0.4rem 0.5rem 0.4rem 0; }
  @media print {
    body { font-size: 11pt; }
    main { max-width: none; padding: 0; }
    .lang, .no-print { display: none; }
    a { color: inherit; text-decoration: none; }
    a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 0.9em; }
    h2 { break-after: avoid; }
    section { break-inside: avoid; }
  }
  @page { margin: 18mm 16mm; }
`;

/** A whole page: language, title, body; no script, styles inline (allowed by the CSP). */
export function page(p: { lang: 'fr' | 'en'; title: string; body: SafeHtml }): string {
  return `<!doctype html>
<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(p.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${p.body.value}
</main>
</body>
</html>
`;
}
