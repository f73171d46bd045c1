// City311's service worker (a module worker, scope `/`): keeps the app shell, every view with its
// strings and styles, and the service catalog for offline use (network first, the kept copy when
// offline), hands push messages to js/sw-push.js, and on a background sync tells open pages to send
// their kept reports (or sends them itself when no page is open: js/drafts.js).
// Every view is kept at install, in the worker, after the page registered it (js/main.js does so
// once the first view is on its way): the page's first load stays small, and a view never opened
// online still opens offline. A file added under static/ is listed here (tests/browser/
// test_report_flow.py checks that the list and the directory agree).
import './app/js/sw-push.js';
import { flush } from './app/js/drafts.js';

const SHELL = 'city311-shell-v3';
const DATA = 'city311-data-v1';
const SHELL_FILES = [
  '/',
  '/manifest.webmanifest',
  '/app/css/app.css',
  '/app/js/main.js',
  '/app/js/api.js',
  '/app/js/i18n.js',
  '/app/js/strings.js',
  '/app/js/drafts.js',
  '/app/js/push.js',
  '/app/js/sw-push.js',
  '/app/js/photos.js',
  '/app/js/locate.js',
  '/app/js/mapdraw.js',
  '/app/js/dom.js',
  '/app/icons/icon.svg',
  '/app/icons/icon-192.png',
];
// each view (js/main.js's routes) with its strings and styles
const VIEWS = ['report', 'mine', 'request', 'settings', 'info', 'where', 'police', 'map'];
const VIEW_FILES = [
  ...VIEWS.flatMap((name) => [`/app/js/views/${name}.js`, `/app/js/views/${name}.strings.js`]),
  '/app/css/map.css',
  '/app/css/request.css',
];
const PRECACHED = [...SHELL_FILES, ...VIEW_FILES];

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      // one missing file must not keep the worker from installing
      await Promise.all(PRECACHED.map((url) => cache.add(url).catch(() => {})));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== SHELL && name !== DATA) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// The catalog answers in the language asked by Accept-Language: kept under a key per language.
function dataKey(request) {
  const url = new URL(request.url);
  url.searchParams.set('_lang', request.headers.get('Accept-Language') || 'en');
  return url.toString();
}

async function networkFirst(request, cacheName, key = request) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (err) {
    const kept = await cache.match(key, { ignoreSearch: cacheName === SHELL && request.mode === 'navigate' });
    if (kept) return kept;
    if (request.mode === 'navigate') {
      const shell = await cache.match('/');
      if (shell) return shell;
    }
    throw err;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && url.pathname === '/') {
    event.respondWith(networkFirst(new Request('/'), SHELL));
  } else if (url.pathname.startsWith('/app/') || url.pathname === '/manifest.webmanifest') {
    event.respondWith(networkFirst(request, SHELL));
  } else if (url.pathname === '/api/v1/services' || url.pathname.startsWith('/api/v1/services/')) {
    event.respondWith(networkFirst(request, DATA, dataKey(request)));
  }
});

self.addEventListener('sync', (event) => {
  if (event.tag !== 'city311-drafts') return;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window' });
      if (windows.length) {
        for (const client of windows) client.postMessage({ type: 'flush-drafts' });
      } else {
        await flush();
      }
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'skip-waiting') self.skipWaiting();
});
