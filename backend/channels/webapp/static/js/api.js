// The app API (/api/v1) from the page: JSON in and out, the resident's language on every call, this
// install's device token (registered once, kept in localStorage), Idempotency-Key on submits, and
// problem details (RFC 9457) turned into an ApiError carrying each field's message.
import { lang } from './i18n.js';

export const BASE = '/api/v1';
const TOKEN_KEY = 'city311.device';

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem || {};
    this.type = String(this.problem.type || '').replace('urn:city311:problem:', '');
    this.errors = Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }

  // Messages for one field ('address', 'answers.LOCATION', 'photos[0]'), in the server's words.
  messages(field) {
    return this.errors.filter((e) => e.field === field).map((e) => e.message);
  }

  // A 4xx the same request will always get again (so a kept draft may be dropped); 408 and 429
  // are worth retrying later.
  get final() {
    return this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }
}

// fetch itself failed: offline, or the server is unreachable. Worth retrying later.
export class NetworkError extends Error {
  constructor(cause) {
    super('network unreachable');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

export function newIdempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function deviceToken() {
  return localStorage.getItem(TOKEN_KEY);
}

// Drop this install's token when it is the one the server refused (the next call registers).
export function forgetDevice(refused) {
  if (!refused || deviceToken() === refused) localStorage.removeItem(TOKEN_KEY);
}

let registering = null;

// This install's bearer token, registering it the first time (an anonymous device, no account).
export async function ensureDevice() {
  const kept = deviceToken();
  if (kept) return kept;
  registering ||= raw('POST', '/devices', { json: { platform: 'web' } })
    .then((out) => {
      localStorage.setItem(TOKEN_KEY, out.token);
      return out.token;
    })
    .finally(() => {
      registering = null;
    });
  return registering;
}

async function raw(method, path, { json, form, headers = {}, token, idempotencyKey, signal } = {}) {
  const h = { Accept: 'application/json', 'Accept-Language': lang(), ...headers };
  let body;
  if (json !== undefined) {
    h['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    body = form; // multipart: the browser sets Content-Type with its boundary
  }
  if (token) h.Authorization = `Bearer ${token}`;
  if (idempotencyKey) h['Idempotency-Key'] = idempotencyKey;
  let response;
  try {
    response = await fetch(BASE + path, { method, headers: h, body, signal });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new NetworkError(err);
  }
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// One call. auth: false (anonymous), 'optional' (the token if this install has one) or 'device'
// (registers first if needed). A token the server no longer accepts is dropped and the call is
// made once more with a fresh registration.
export async function api(path, { method = 'GET', json, form, headers, auth = 'optional', idempotencyKey, signal } = {}) {
  let token = auth === 'device' ? await ensureDevice() : auth ? deviceToken() : null;
  try {
    return await raw(method, path, { json, form, headers, token, idempotencyKey, signal });
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401 || !token) throw err;
    localStorage.removeItem(TOKEN_KEY);
    token = auth === 'device' ? await ensureDevice() : null;
    return raw(method, path, { json, form, headers, token, idempotencyKey, signal });
  }
}

export const get = (path, options) => api(path, { ...options, method: 'GET' });
export const post = (path, json, options) => api(path, { ...options, method: 'POST', json });
export const put = (path, json, options) => api(path, { ...options, method: 'PUT', json });
export const del = (path, options) => api(path, { ...options, method: 'DELETE' });

// '?a=1&b=x' from an object, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
