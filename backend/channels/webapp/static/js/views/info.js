// City information: search the articles about city programs in the resident's language (GET
// /api/v1/info, English answering when none in it matches), and read one (GET /api/v1/info/<slug>).
// #/info?q=… is a search, #/info/<slug>?q=… an article (q: the search to go back to).
import { get, query, ApiError, NetworkError } from '../api.js';
import { translator, lang, formatDate } from '../i18n.js';
import strings from './info.strings.js';
import { node } from '../dom.js';

export const title = 'info.title';
const tr = translator(strings);

const day = (iso) => formatDate(iso, { dateStyle: 'long', timeZone: 'UTC' }); // a date, not a time

// Text in another language than the page's is marked so (screen readers switch voice).
function inLanguage(element, language) {
  if (language && language !== lang()) {
    element.lang = language;
    return node('span', { class: 'badge', text: tr('info.in_english') });
  }
  return null;
}

function problem(err) {
  if (err instanceof NetworkError) return tr('info.offline');
  if (err instanceof ApiError && err.status === 404) return tr('info.not_found');
  return tr('info.error');
}

async function article(root, slug, ctx) {
  const q = ctx.query.get('q') || '';
  const back = node('a', { href: `#/info${query({ q })}`, text: tr('info.back') });
  root.append(node('p', {}, back));
  let a;
  try {
    a = await get(`/info/${encodeURIComponent(slug)}${query({ lang: lang() })}`);
  } catch (err) {
    root.append(node('h1', { text: tr('info.title') }), node('p', { class: 'notice error', role: 'alert', text: problem(err) }));
    return;
  }
  const h1 = node('h1', { text: a.title });
  const badge = inLanguage(h1, a.language);
  const body = node('div', { class: 'article-body' });
  inLanguage(body, a.language);
  for (const paragraph of (a.body || a.smsAnswer).split(/\n\s*\n/)) body.append(node('p', { text: paragraph.trim() }));
  const facts = node('p', { class: 'muted' }, tr('info.checked', { date: day(a.checkedOn) }));
  if (a.validUntil) facts.append(' · ', tr('info.valid_until', { date: day(a.validUntil) }));
  const source = node('a', { href: a.sourceUrl, rel: 'noopener noreferrer', target: '_blank', text: tr('info.source') });
  root.append(h1);
  if (badge) root.append(badge);
  root.append(body, node('p', {}, source), facts);
  if (a.serviceCodes && a.serviceCodes.length) {
    root.append(node('p', {}, node('a', { class: 'button secondary', href: `#/report${query({ service: a.serviceCodes[0] })}`, text: tr('info.report') })));
  }
}

function results(out, found, q) {
  const heading = node('h2', { id: 'info-results-h', text: tr('info.results', { q }) });
  if (!found.items.length) {
    out.replaceChildren(heading, node('p', { text: tr('info.none') }));
    return;
  }
  const list = node('ul', { class: 'list info-hits', 'aria-labelledby': 'info-results-h' });
  for (const hit of found.items) {
    const link = node('a', { href: `#/info/${encodeURIComponent(hit.slug)}${query({ q })}`, text: hit.title });
    const answer = node('p', { text: hit.smsAnswer });
    const item = node('li', { class: 'info-hit' }, node('h3', {}, link), answer);
    const badge = inLanguage(item, hit.language);
    if (badge) item.append(badge);
    list.append(item);
  }
  out.replaceChildren(heading, list);
}

export async function render(root, params, ctx) {
  root = root.appendChild(document.createElement('div')); // detached when the resident leaves: late answers land nowhere
  if (params[0]) {
    await article(root, params[0], ctx);
    return;
  }
  const form = node('form', { role: 'search', novalidate: '' });
  const input = node('input', { id: 'info-q', name: 'q', type: 'search', maxlength: '300', 'aria-describedby': 'info-hint', autocomplete: 'off' });
  const hint = node('span', { id: 'info-hint', class: 'hint', text: tr('info.hint') });
  const error = node('div', { id: 'info-error', class: 'field-error' });
  form.append(
    node('label', { for: 'info-q', text: tr('info.question') }),
    hint,
    input,
    error,
    node('div', { class: 'actions' }, node('button', { type: 'submit', text: tr('search') })),
  );
  const out = node('section', { class: 'info-out', 'aria-live': 'polite' });
  root.append(node('h1', { text: tr('info.title') }), node('p', { text: tr('info.intro') }), form, out);

  function fieldError(text) {
    error.textContent = text || '';
    if (text) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    input.setAttribute('aria-describedby', text ? 'info-hint info-error' : 'info-hint');
  }

  let asked = 0;
  async function search(q) {
    const id = ++asked;
    fieldError('');
    history.replaceState(null, '', `#/info${query({ q })}`);
    out.replaceChildren(node('p', { class: 'muted', text: tr('info.searching') }));
    try {
      const found = await get(`/info${query({ q, lang: lang(), limit: 8 })}`);
      if (id !== asked) return;
      results(out, found, q);
      ctx.announce(found.items.length ? tr('info.results', { q }) : tr('info.none'));
    } catch (err) {
      if (id !== asked) return;
      if (err instanceof ApiError && err.messages('q').length) {
        fieldError(err.messages('q').join(' '));
        out.replaceChildren();
      } else {
        out.replaceChildren(node('p', { class: 'notice error', role: 'alert', text: problem(err) }));
      }
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (!q) {
      fieldError(tr('info.required'));
      input.focus();
      return;
    }
    search(q);
  });

  const q = ctx.query.get('q');
  if (q) {
    input.value = q;
    await search(q);
  }
}
