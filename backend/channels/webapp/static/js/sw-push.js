// The service worker's push handling (imported by /sw.js). A push from City311's outbox carries
// JSON {title, body, url, tag, lang}: the body already in the language the subscription was
// registered with, `lang` naming it. It is shown as a notification (one per request: the tag), and
// open pages are told (a `push-shown` message). A tap opens, or focuses, the request's page in the
// app (#/r/<tracking number>, read from the payload's API url).

const ICON = '/app/icons/icon-192.png';

// The app's page for a payload's url (…/api/v1/requests/<tn>); the app's start otherwise.
export function pageOf(url) {
  try {
    const parsed = new URL(url, self.location.origin);
    const match = /\/api\/v1\/requests\/([^/?#]+)$/.exec(parsed.pathname);
    if (match) return `${self.location.origin}/#/r/${match[1]}`;
  } catch {
    // not a URL: the app's start
  }
  return `${self.location.origin}/`;
}

export function readPush(data) {
  if (!data) return {};
  try {
    const json = data.json();
    return json && typeof json === 'object' ? json : { body: String(json) };
  } catch {
    return { body: data.text() };
  }
}

export async function show(data) {
  const title = data.title || 'City311';
  const options = {
    body: data.body || '',
    tag: data.tag || undefined,
    lang: data.lang || '',
    data: { url: pageOf(data.url) },
    icon: ICON,
    badge: ICON,
  };
  await self.registration.showNotification(title, options);
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const client of windows) {
    client.postMessage({ type: 'push-shown', title, body: options.body, lang: options.lang, url: options.data.url });
  }
}

export function onPush(event) {
  event.waitUntil(show(readPush(event.data)));
}

export function onNotificationClick(event) {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || `${self.location.origin}/`;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const client of windows) {
        if (new URL(client.url).origin !== self.location.origin || !('focus' in client)) continue;
        if (client.url !== url && 'navigate' in client) await client.navigate(url).catch(() => {});
        return client.focus();
      }
      return self.clients.openWindow(url);
    })(),
  );
}

self.addEventListener('push', onPush);
self.addEventListener('notificationclick', onNotificationClick);
