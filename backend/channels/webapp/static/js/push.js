// Web Push from the page: this browser's subscription, made with the server's VAPID key
// (GET /api/v1/push/public-key → pushManager.subscribe) and registered with the app API
// (POST /api/v1/push-subscriptions) in the resident's language; removed again on request. What the
// server answered (the subscription's id, its endpoint and language) is kept in localStorage, so a
// language change re-registers it (the same endpoint again only updates it) and turning it off
// deletes it. The service worker shows the pushes (js/sw-push.js).
import { get, post, del, ApiError } from './api.js';
import { lang } from './i18n.js';

const KEY = 'city311.push';

export function supported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

function kept() {
  try {
    return JSON.parse(localStorage.getItem(KEY) || 'null');
  } catch {
    return null;
  }
}

function keep(value) {
  if (value) localStorage.setItem(KEY, JSON.stringify(value));
  else localStorage.removeItem(KEY);
}

// The applicationServerKey pushManager.subscribe wants: the base64url P-256 point as bytes.
export function keyBytes(base64url) {
  const padded = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function registration() {
  return navigator.serviceWorker.ready;
}

async function current() {
  const reg = await registration();
  return reg.pushManager.getSubscription();
}

// 'unsupported', 'denied' (the browser's notification permission is blocked), 'on' (subscribed
// and registered with City311) or 'off'.
export async function state() {
  if (!supported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  const mine = kept();
  if (!mine) return 'off';
  const sub = await current().catch(() => null);
  return sub && sub.endpoint === mine.endpoint ? 'on' : 'off';
}

async function register(sub) {
  const json = sub.toJSON();
  const out = await post(
    '/push-subscriptions',
    { endpoint: json.endpoint, keys: { p256dh: json.keys.p256dh, auth: json.keys.auth }, language: lang() },
    { auth: 'device' },
  );
  keep({ id: out.id, endpoint: json.endpoint, language: out.language });
  return out;
}

// Asks the browser's permission, subscribes with the server's key and registers the subscription.
// Throws an Error whose `reason` is 'unsupported' or 'denied', or the API's error.
export async function enable() {
  if (!supported()) throw Object.assign(new Error('push unsupported'), { reason: 'unsupported' });
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw Object.assign(new Error('permission ' + permission), { reason: 'denied' });
  const { publicKey } = await get('/push/public-key', { auth: false });
  const reg = await registration();
  let sub = await reg.pushManager.getSubscription();
  const wanted = keyBytes(publicKey);
  const made = sub && sub.options && sub.options.applicationServerKey;
  if (sub && made && !sameBytes(new Uint8Array(made), wanted)) {
    await sub.unsubscribe(); // made with another key (the server's key changed): start again
    sub = null;
  }
  sub ||= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: wanted });
  return register(sub);
}

function sameBytes(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// Removes the registration from City311 and unsubscribes the browser.
export async function disable() {
  const mine = kept();
  if (mine) {
    try {
      await del(`/push-subscriptions/${mine.id}`, { auth: 'device' });
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) throw err; // already gone: fine
    }
  }
  keep(null);
  const sub = supported() ? await current().catch(() => null) : null;
  if (sub) await sub.unsubscribe().catch(() => {});
}

// Updates are written in the language the subscription was registered with: after a language
// change, register it again (same endpoint: the server updates its language). Quiet on failure.
export async function syncLanguage() {
  const mine = kept();
  if (!mine || mine.language === lang() || !supported()) return false;
  try {
    const sub = await current();
    if (!sub || sub.endpoint !== mine.endpoint) return false;
    await register(sub);
    return true;
  } catch (err) {
    console.warn('push language not updated', err);
    return false;
  }
}
