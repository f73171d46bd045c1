// The service worker's push handling (imported by /sw.js): a push from City311's outbox carries
// JSON {title, body, url, tag}; it is shown as a notification, and a tap on it opens (or focuses)
// the app at its url.

export function onPush(event) {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  const title = data.title || 'City311';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || '',
      tag: data.tag || undefined,
      data: { url: data.url || '/' },
      icon: '/app/icons/icon-192.png',
      badge: '/app/icons/icon-192.png',
    }),
  );
}

export function onNotificationClick(event) {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || '/';
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const client of windows) {
        if ('focus' in client) {
          if ('navigate' in client && client.url !== url) await client.navigate(url).catch(() => {});
          return client.focus();
        }
      }
      return self.clients.openWindow(url);
    })(),
  );
}

self.addEventListener('push', onPush);
self.addEventListener('notificationclick', onNotificationClick);
