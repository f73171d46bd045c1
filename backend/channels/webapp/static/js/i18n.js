// The resident's language (en, es, pl, zh): kept in localStorage, said in <html lang>, changed by
// the header's switcher. t() looks a key up in the current language, then in English.
//   import { t, translator } from './i18n.js';
//   const tr = translator(viewStrings);   // a view's own table, falling back to the shared one
import shared from './strings.js';

export const LANGUAGES = ['en', 'es', 'pl', 'zh'];
const KEY = 'city311.lang';

function initial() {
  const kept = localStorage.getItem(KEY);
  if (LANGUAGES.includes(kept)) return kept;
  for (const tag of navigator.languages || [navigator.language || 'en']) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

let current = initial();

export function lang() {
  return current;
}

export function setLang(code) {
  if (!LANGUAGES.includes(code) || code === current) return;
  current = code;
  localStorage.setItem(KEY, code);
  document.documentElement.lang = code;
  document.dispatchEvent(new CustomEvent('langchange', { detail: code }));
}

function fill(text, vars) {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

function lookup(tables, key) {
  for (const table of tables) {
    const mine = table[current];
    if (mine && key in mine) return mine[key];
  }
  for (const table of tables) {
    if (table.en && key in table.en) return table.en[key];
  }
  return key;
}

// A t() over a view's own strings ({en:{…}, es:{…}, pl:{…}, zh:{…}}), then the shared ones.
export function translator(strings) {
  const tables = strings ? [strings, shared] : [shared];
  return (key, vars) => fill(lookup(tables, key), vars);
}

export const t = translator(null);

// Elements marked data-t="key" get their text, data-t-label="key" their aria-label.
export function translateDom(root = document, tr = t) {
  for (const el of root.querySelectorAll('[data-t]')) el.textContent = tr(el.dataset.t);
  for (const el of root.querySelectorAll('[data-t-label]')) el.setAttribute('aria-label', tr(el.dataset.tLabel));
}

// Dates and numbers in the resident's language.
export function formatDate(iso, options = { dateStyle: 'medium', timeStyle: 'short' }) {
  try {
    return new Intl.DateTimeFormat(current, options).format(new Date(iso));
  } catch {
    return iso;
  }
}

document.documentElement.lang = current;
