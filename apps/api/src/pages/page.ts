import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { escapeHtml } from '@app/notifications';

export interface PageField {
  name: string;
  label: string;
  type: 'password' | 'text' | 'radio';
  options?: { value: string; label: string }[];
  autocomplete?: string;
}

export interface PageSpec {
  title: string;
  intro: string[];
  /** API path the form posts JSON to; `{token}` in it is replaced by the token. */
  action: string;
  /** The JSON body: field values plus `token` (unless the token is in the path). */
  tokenInBody: boolean;
  fields: PageField[];
  submit: string;
  done: string;
  /** Field names that must hold the same value (password confirmation). */
  confirm?: [string, string];
}

/**
 * A small HTML page for an emailed link. Opening it changes nothing (mail scanners pre-fetch links);
 * its form posts to the API with a script allowed by a per-response nonce.
 */
export function sendPage(res: Response, spec: PageSpec, token: string): void {
  const nonce = randomBytes(16).toString('base64');
  const field = (f: PageField) =>
    f.type === 'radio'
      ? `<fieldset><legend>${escapeHtml(f.label)}</legend>${(f.options ?? [])
          .map((o) => `<label><input type="radio" name="${f.name}" value="${escapeHtml(o.value)}" required> ${escapeHtml(o.label)}</label>`)
          .join('<br>')}</fieldset>`
      : `<label>${escapeHtml(f.label)}<br><input name="${f.name}" type="${f.type}" required maxlength="128" autocomplete="${f.autocomplete ?? 'off'}"></label>`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(spec.title)} — Young Ideas</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;line-height:1.5}label,fieldset{display:block;margin:1rem 0}input[type=password],input[type=text]{width:100%;padding:.5rem;font-size:1rem}button{padding:.6rem 1.2rem;font-size:1rem}#msg{font-weight:600}</style></head>
<body><h1>${escapeHtml(spec.title)}</h1>${spec.intro.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}
<form id="f" data-token="${escapeHtml(token)}">${spec.fields.map(field).join('')}<button type="submit">${escapeHtml(spec.submit)}</button></form>
<p id="msg" role="status"></p>
<script nonce="${nonce}">
const form = document.getElementById('f'), msg = document.getElementById('msg');
const token = form.dataset.token, confirmPair = ${JSON.stringify(spec.confirm ?? null)};
form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const data = Object.fromEntries(new FormData(form));
  if (confirmPair && data[confirmPair[0]] !== data[confirmPair[1]]) { msg.textContent = 'The two passwords differ.'; return; }
  if (confirmPair) delete data[confirmPair[1]];
  ${spec.tokenInBody ? 'data.token = token;' : ''}
  const url = ${JSON.stringify(spec.action)}.replace('{token}', encodeURIComponent(token));
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
  if (res.ok) { form.remove(); msg.textContent = ${JSON.stringify(spec.done)}; return; }
  const p = await res.json().catch(() => ({}));
  msg.textContent = (p.errors || []).map((x) => x.message).join('. ') || p.detail || 'Something went wrong.';
});
</script></body></html>`;
  res
    .status(200)
    .setHeader(
      'Content-Security-Policy',
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`,
    )
    .setHeader('Cache-Control', 'no-store')
    .setHeader('Referrer-Policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(html);
}
