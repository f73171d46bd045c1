// Reports kept on the device until they are sent: an IndexedDB outbox shared by the page and the
// service worker (this module runs in both: no DOM, no localStorage).
//
// Each draft carries its own Idempotency-Key, made once when the resident pressed Send: every
// attempt sends the same key, so the server answers a repeat with the request it already made
// (never a second one). Attempts are made one at a time across tabs and the service worker (a Web
// Lock). A draft leaves the outbox only after a 2xx (state 'sent', with its tracking number) or a
// 4xx that would come again (state 'failed', with the server's problem); a page shows those
// outcomes and then removes them. No connection, 5xx, 408 or 429: it stays 'pending' for later.

const DB = 'city311';
const STORE = 'drafts';
const LOCK = 'city311-drafts';
export const SYNC_TAG = 'city311-drafts';
const channel = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel('city311-drafts') : null;

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: 'id' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function tx(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const store = t.objectStore(STORE);
      let result;
      Promise.resolve(work(store)).then((r) => {
        result = r;
      });
      t.oncomplete = () => resolve(result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  } finally {
    db.close();
  }
}

const req = (r) =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });

export async function list() {
  const all = await tx('readonly', (store) => req(store.getAll()));
  return (all || []).sort((a, b) => a.created - b.created);
}

export async function get(id) {
  return tx('readonly', (store) => req(store.get(id)));
}

async function put(draft) {
  await tx('readwrite', (store) => req(store.put(draft)));
  if (channel) channel.postMessage({ id: draft.id, state: draft.state });
}

export async function remove(id) {
  await tx('readwrite', (store) => req(store.delete(id)));
  if (channel) channel.postMessage({ id, state: 'removed' });
}

// A new draft: body is the JSON of POST /api/v1/requests, photos are JPEG Blobs.
export function make({ body, photos = [], lang = 'en', token = null, key, summary = '' }) {
  const id = key;
  return { id, key, body, photos, lang, token, summary, created: Date.now(), state: 'pending', attempts: 0 };
}

// Keep a draft in the outbox; with `sync`, ask the service worker to send it when the connection
// returns (background sync).
export async function keep(draft, { sync = true } = {}) {
  await put({ ...draft, state: 'pending' });
  if (sync) await requestSync();
}

export async function requestSync() {
  try {
    const ready = self.registration || (navigator.serviceWorker && navigator.serviceWorker.ready);
    const registration = await Promise.race([ready, new Promise((r) => setTimeout(r, 2000))]);
    if (registration && registration.sync) await registration.sync.register(SYNC_TAG);
  } catch {
    // no background sync here: the page sends at start and on `online`
  }
}

async function post(draft) {
  const form = new FormData();
  form.append('request', JSON.stringify(draft.body));
  draft.photos.forEach((blob, i) => form.append('photo', blob, `photo-${i + 1}.jpg`));
  const headers = { Accept: 'application/json', 'Accept-Language': draft.lang, 'Idempotency-Key': draft.key };
  if (draft.token) headers.Authorization = `Bearer ${draft.token}`;
  let response;
  try {
    response = await fetch('/api/v1/requests', { method: 'POST', headers, body: form });
  } catch {
    return { outcome: 'waiting', reason: 'network' };
  }
  const data = await response.json().catch(() => null);
  if (response.ok) return { outcome: 'sent', request: data, replayed: response.headers.get('Idempotent-Replayed') === 'true' };
  const s = response.status;
  if (s >= 400 && s < 500 && s !== 408 && s !== 429 && s !== 401) return { outcome: 'failed', problem: data || { status: s } };
  return { outcome: 'waiting', reason: `HTTP ${s}`, status: s };
}

function locked(work) {
  const locks = typeof navigator !== 'undefined' && navigator.locks;
  return locks ? locks.request(LOCK, work) : work();
}

// Send every pending draft, oldest first. `token()` gives this install's device token for a draft
// that has none yet (the page registers one; the service worker has none to give, so such a
// draft waits for a page: a draft is always sent with the same token, as its key is). Stops at
// the first that cannot reach the server. `forget(token)` drops a token the server refused (401),
// so that `token()` registers the install again. Returns [{draft, outcome, …}].
export async function flush({ token = null, forget = null } = {}) {
  return locked(async () => {
    const results = [];
    for (const draft of await list()) {
      if (draft.state !== 'pending') continue;
      if (!draft.token) {
        const given = token ? await token().catch(() => null) : null;
        if (!given) {
          results.push({ draft, outcome: 'waiting', reason: 'no device token' });
          continue;
        }
        draft.token = given;
        await put(draft);
      }
      draft.attempts += 1;
      let result = await post(draft);
      if (result.status === 401 && token && forget) {
        // this install's token is no longer accepted (revoked, expired): a fresh registration
        forget(draft.token);
        draft.token = await token().catch(() => null);
        if (draft.token) result = await post(draft);
      }
      if (result.outcome === 'sent') {
        await put({ ...draft, state: 'sent', request: result.request, sent: Date.now() });
      } else if (result.outcome === 'failed') {
        await put({ ...draft, state: 'failed', problem: result.problem, sent: Date.now() });
      } else {
        await put(draft);
      }
      results.push({ draft, ...result });
      if (result.outcome === 'waiting') break;
    }
    return results;
  });
}

// Subscribe to changes made anywhere (another tab, the service worker): fn({id, state}).
export function onChange(fn) {
  if (!channel) return () => {};
  const listener = (event) => fn(event.data);
  channel.addEventListener('message', listener);
  return () => channel.removeEventListener('message', listener);
}
