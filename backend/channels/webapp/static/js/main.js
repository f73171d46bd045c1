// The app's start: the hash router (#/report, #/mine, #/r/<tracking>, #/info, #/where, #/police,
// #/map, #/settings), each view loaded lazily from js/views/<name>.js, which exports `title` (a
// string key) and `async render(root, params, ctx)`. Also the language switcher, the service
// worker, and sending kept drafts when the connection returns.
import { t, lang, setLang, translateDom } from './i18n.js';

const ROUTES = {
  report: 'report',
  mine: 'mine',
  r: 'request',
  info: 'info',
  where: 'where',
  police: 'police',
  map: 'map',
  settings: 'settings',
};
const DEFAULT = 'report';

const main = document.getElementById('main');
const statusBox = document.getElementById('status');
let renderId = 0;
let current = null; // { name, params, view }

// A short message read out by screen readers (the status region), gone after a while.
export function announce(text, ms = 5000) {
  statusBox.textContent = text;
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => {
    statusBox.textContent = '';
  }, ms);
}

export function parseHash(hash) {
  const [path, search = ''] = (hash || '').replace(/^#\/?/, '').split('?');
  const [head, ...rest] = path.split('/');
  const name = head || DEFAULT;
  return { name, params: rest.filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search) };
}

function markNav(name) {
  for (const a of document.querySelectorAll('.nav a')) {
    if (a.dataset.route === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function notFound(root) {
  root.innerHTML = '';
  const h = document.createElement('h1');
  h.textContent = t('notfound.title');
  const p = document.createElement('p');
  p.textContent = t('notfound.body');
  const a = document.createElement('a');
  a.href = '#/report';
  a.textContent = t('notfound.home');
  root.append(h, p, a);
  document.title = `${t('notfound.title')} · City311`;
}

function failed(root, err) {
  console.error(err);
  root.innerHTML = '';
  const box = document.createElement('div');
  box.className = 'notice error';
  box.setAttribute('role', 'alert');
  const h = document.createElement('h1');
  h.textContent = t('error.title');
  const p = document.createElement('p');
  p.textContent = navigator.onLine ? t('error.view') : t('error.network');
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.textContent = t('error.retry');
  retry.addEventListener('click', () => route());
  box.append(h, p, retry);
  root.append(box);
}

// The context every view gets.
const ctx = {
  announce,
  navigate(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
  get lang() {
    return lang();
  },
};

export async function route({ focus = true } = {}) {
  const raw = location.hash;
  if (raw && !raw.startsWith('#/')) return; // an in-page anchor (the skip link), not a route
  const { name, params, query } = parseHash(raw);
  const id = ++renderId;
  markNav(name in ROUTES ? name : null);
  if (current && current.view && current.view.leave) {
    try {
      current.view.leave();
    } catch (err) {
      console.error(err);
    }
  }
  current = null;
  if (!(name in ROUTES)) {
    notFound(main);
    if (focus) main.focus();
    return;
  }
  main.setAttribute('aria-busy', 'true');
  try {
    const view = await import(`./views/${ROUTES[name]}.js`);
    if (id !== renderId) return; // the resident went elsewhere meanwhile
    // each view draws into a box of its own: a slow render that ends after the resident moved
    // on draws into a box no longer on the page
    const host = document.createElement('div');
    host.className = 'view';
    main.replaceChildren(host);
    current = { name, params, view };
    await view.render(host, params, { ...ctx, query });
    if (id !== renderId) return;
    const title = view.title ? view.title : `nav.${name}`;
    const heading = main.querySelector('h1');
    document.title = `${heading ? heading.textContent : t(title)} · City311`;
  } catch (err) {
    if (id === renderId) failed(main, err);
  } finally {
    if (id === renderId) main.removeAttribute('aria-busy');
  }
  if (focus && id === renderId) main.focus({ preventScroll: false });
}

function setUpLanguage() {
  const select = document.getElementById('lang');
  select.value = lang();
  translateDom();
  select.addEventListener('change', () => setLang(select.value));
  document.addEventListener('langchange', () => {
    select.value = lang();
    translateDom();
    // this browser's push subscription is registered again in the new language (js/push.js)
    import('./push.js').then((push) => push.syncLanguage()).catch(() => {});
    // a view may redraw itself in place (keeping what was typed); else it is drawn again
    if (current && current.view && current.view.relabel) current.view.relabel(main.firstElementChild);
    else route({ focus: false });
  });
}

function setUpSkipLink() {
  document.querySelector('.skip').addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });
}

async function setUpServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  try {
    await navigator.serviceWorker.register('/sw.js', { scope: '/', type: 'module' });
  } catch (err) {
    console.warn('service worker not registered', err);
  }
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'flush-drafts') flushDrafts();
  });
}

// Kept reports (js/drafts.js) are sent at start, when the connection returns, and when the
// service worker's background sync says so; what became of them is announced, and the report
// view lists them (the 'drafts' event).
async function flushDrafts() {
  try {
    const [drafts, { ensureDevice, forgetDevice }] = await Promise.all([import('./drafts.js'), import('./api.js')]);
    const results = await drafts.flush({ token: ensureDevice, forget: forgetDevice });
    for (const r of results) {
      if (r.outcome === 'sent') announce(t('drafts.sent', { tn: r.request.trackingNumber }));
      if (r.outcome === 'failed') announce(t('drafts.failed'));
    }
    document.dispatchEvent(new CustomEvent('drafts', { detail: results }));
  } catch (err) {
    console.warn('drafts not sent', err);
  }
}

window.addEventListener('hashchange', () => route());
window.addEventListener('online', () => {
  announce(t('online'));
  flushDrafts();
});
window.addEventListener('offline', () => announce(t('offline')));

setUpLanguage();
setUpSkipLink();
route({ focus: false });
setUpServiceWorker();
flushDrafts();
