// A request's page (#/r/<tracking number>): its public status, type and place (never who reported
// it: the API has no such fields), its public history, and follow/unfollow. The page stays live:
// the event stream (GET /api/v1/requests/<tn>/events, server-sent events) brings each new event,
// which is added to the history (once: events carry their id) and refreshes the status. A broken
// stream is opened again, sooner when the connection returns. Without a number: a lookup form.
import { get, post, del, ApiError, deviceToken, BASE } from '../api.js';
import { translator, formatDate } from '../i18n.js';
import { state as pushState, syncLanguage } from '../push.js';
import strings from './request.strings.js';

const tr = translator(strings);
export const title = 'request.title';

// The public events' kinds: each is its own SSE event type.
const KINDS = ['submitted', 'status_changed', 'note', 'reclassified', 'moved'];
const MAX_RETRY_MS = 30000;

let live = null; // the open page's stream: { tn, es, timer, attempts, onOnline }
let drawing = 0; // bumped when the page is left: a render still waiting for answers then stops

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = value;
    else if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
  return node;
}

export function statusName(status) {
  const key = `status.${status}`;
  const name = tr(key);
  return name === key ? status : name;
}

// The stylesheet of these views (css/request.css), added once.
export function useStyles() {
  if (document.querySelector('link[data-view-css="request"]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = '/app/css/request.css';
  link.dataset.viewCss = 'request';
  document.head.append(link);
}

export function leave() {
  drawing++;
  if (!live) return;
  clearTimeout(live.timer);
  if (live.es) live.es.close();
  window.removeEventListener('online', live.onOnline);
  live = null;
}

export async function render(root, params, ctx) {
  leave();
  const mark = drawing;
  useStyles();
  syncLanguage();
  const asked = (params[0] || '').trim();
  if (!asked) return lookup(root, ctx);
  let request;
  try {
    request = await get(`/requests/${encodeURIComponent(asked)}`, { auth: false });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return lookup(root, ctx, asked);
    throw err;
  }
  const tn = request.trackingNumber;
  if (tn !== asked) history.replaceState(null, '', `#/r/${encodeURIComponent(tn)}`);
  const [events, following] = await Promise.all([
    get(`/requests/${encodeURIComponent(tn)}/history`, { auth: false }).then((h) => h.events),
    followState(tn),
  ]);
  if (mark !== drawing) return; // left meanwhile: no stream for a page nobody sees

  const summary = el('div', { class: 'request-summary' });
  drawSummary(summary, request);
  const followBox = el('section', { class: 'card follow', 'aria-labelledby': 'follow-h' });
  await drawFollow(followBox, tn, following, ctx);
  if (mark !== drawing) return;
  const list = el('ol', { class: 'history', id: 'history' });
  const shown = new Set();
  for (const event of events) addEvent(list, shown, event);
  const liveNote = el('p', { class: 'muted live', id: 'live' });
  const historyBox = el(
    'section',
    { 'aria-labelledby': 'history-h' },
    el('h2', { id: 'history-h', text: tr('history') }),
    liveNote,
    list,
  );
  if (!events.length) list.append(el('li', { class: 'muted empty', text: tr('history.empty') }));
  root.append(summary, followBox, historyBox);

  live = { tn, es: null, timer: null, attempts: 0, onOnline: null };
  const mine = live;
  const refresh = async () => {
    const fresh = await get(`/requests/${encodeURIComponent(tn)}`, { auth: false });
    if (live === mine) drawSummary(summary, fresh);
    return fresh;
  };
  const onEvent = async (message) => {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    if (!addEvent(list, shown, event)) return;
    list.querySelector('.empty')?.remove();
    try {
      const fresh = await refresh();
      if (event.kind === 'note') ctx.announce(tr('live.note', { tn }));
      else if (event.toStatus) ctx.announce(tr('live.status', { tn, status: statusName(fresh.status) }));
    } catch (err) {
      console.warn('request not refreshed', err);
    }
  };
  const setLive = (on) => {
    liveNote.textContent = tr(on ? 'live.on' : 'live.off');
    liveNote.dataset.live = on ? 'on' : 'off';
  };
  const connect = () => {
    if (live !== mine) return;
    clearTimeout(mine.timer);
    if (mine.es) mine.es.close();
    const es = new EventSource(`${BASE}/requests/${encodeURIComponent(tn)}/events`);
    mine.es = es;
    es.addEventListener('open', () => {
      mine.attempts = 0;
      setLive(true);
    });
    for (const kind of KINDS) es.addEventListener(kind, onEvent);
    es.addEventListener('message', onEvent); // an event without a kind
    es.addEventListener('error', () => {
      if (live !== mine) return;
      setLive(false);
      // The browser retries by itself while the stream is CONNECTING; CLOSED (an error answer,
      // or the server went away for good) is ours to retry, later each time.
      if (es.readyState === EventSource.CLOSED) {
        const wait = Math.min(MAX_RETRY_MS, 1000 * 2 ** mine.attempts++);
        mine.timer = setTimeout(connect, wait);
      }
    });
  };
  mine.onOnline = () => {
    if (!mine.es || mine.es.readyState !== EventSource.OPEN) connect();
  };
  window.addEventListener('online', mine.onOnline);
  if ('EventSource' in window) {
    setLive(false);
    connect();
  }
}

function lookup(root, ctx, missing) {
  const form = el('form', { class: 'lookup', novalidate: true });
  const input = el('input', {
    type: 'text',
    id: 'tn',
    name: 'tn',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    'aria-describedby': 'tn-hint tn-error',
    value: missing || '',
  });
  const error = el('p', { class: 'field-error', id: 'tn-error', role: 'alert' });
  if (missing) {
    error.textContent = tr('lookup.notfound', { tn: missing });
    input.setAttribute('aria-invalid', 'true');
  }
  form.append(
    el('label', { for: 'tn', text: tr('lookup.label') }),
    el('span', { class: 'hint', id: 'tn-hint', text: tr('lookup.hint') }),
    input,
    error,
    el('div', { class: 'actions' }, el('button', { type: 'submit', text: tr('lookup.go') })),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const tn = input.value.trim();
    if (!tn) {
      error.textContent = tr('lookup.empty');
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    ctx.navigate(`#/r/${encodeURIComponent(tn)}`);
  });
  root.append(el('h1', { text: tr('request.title') }), form);
  if (missing) input.focus();
}

function drawSummary(box, r) {
  const facts = el('dl', { class: 'review facts' });
  const fact = (label, value) => {
    if (value === null || value === undefined || value === '') return;
    facts.append(el('dt', { text: label }), el('dd', {}, value));
  };
  fact(tr('field.location'), r.address || `${r.lat.toFixed(5)}, ${r.long.toFixed(5)}`);
  fact(tr('field.area'), r.communityArea);
  fact(tr('field.ward'), r.ward === null ? null : String(r.ward));
  fact(tr('field.reported'), el('time', { datetime: r.createdAt, text: formatDate(r.createdAt) }));
  fact(tr('field.updated'), el('time', { datetime: r.updatedAt, text: formatDate(r.updatedAt) }));
  if (r.closedAt) fact(tr('field.closed'), el('time', { datetime: r.closedAt, text: formatDate(r.closedAt) }));
  fact(tr('field.description'), r.description);
  fact(tr('field.note'), r.latestPublicNote);
  const nodes = [
    el('h1', { text: r.serviceName }),
    el(
      'p',
      {},
      el('span', { class: 'visually-hidden', text: `${tr('field.tracking')}: ` }),
      el('span', { class: 'tracking', text: r.trackingNumber }),
    ),
    el(
      'p',
      { class: `badge ${r.statusGroup}`, id: 'request-status', 'data-status': r.status },
      `${tr('status.label')}: `,
      el('strong', { text: statusName(r.status) }),
    ),
  ];
  if (r.duplicateOf) {
    const text = tr('duplicate', { tn: '\u0000' }).split('\u0000');
    nodes.push(
      el(
        'p',
        { class: 'notice' },
        text[0],
        el('a', { href: `#/r/${encodeURIComponent(r.duplicateOf)}`, text: r.duplicateOf }),
        text[1] || '',
      ),
    );
  }
  nodes.push(facts);
  if (r.photos && r.photos.length) {
    nodes.push(
      el('h2', { text: tr('field.photos') }),
      el(
        'ul',
        { class: 'thumbs' },
        r.photos.map((p, i) =>
          el(
            'li',
            {},
            el(
              'a',
              { href: p.url },
              el('img', { src: p.thumbnailUrl, alt: tr('photo.alt', { n: i + 1 }), loading: 'lazy' }),
            ),
          ),
        ),
      ),
    );
  }
  box.replaceChildren(...nodes);
}

// Adds an event to the history once (false when it was already there).
function addEvent(list, shown, e) {
  if (e.id !== undefined && shown.has(e.id)) return false;
  if (e.id !== undefined) shown.add(e.id);
  let what = tr('ev.other');
  if (e.kind === 'status_changed' && e.toStatus) what = tr('ev.status_changed', { status: statusName(e.toStatus) });
  else if (KINDS.includes(e.kind)) what = tr(`ev.${e.kind}`);
  else if (e.toStatus) what = tr('ev.status_changed', { status: statusName(e.toStatus) });
  list.append(
    el(
      'li',
      { 'data-kind': e.kind, 'data-id': e.id },
      el('time', { datetime: e.createdAt, text: formatDate(e.createdAt) }),
      ' ',
      el('strong', { text: what }),
      e.note ? el('p', { class: 'note', text: e.note }) : null,
    ),
  );
  return true;
}

async function followState(tn) {
  if (!deviceToken()) return false;
  try {
    return (await get(`/requests/${encodeURIComponent(tn)}/follow`, { auth: 'optional' })).following;
  } catch {
    return false;
  }
}

async function drawFollow(box, tn, following, ctx) {
  const push = following ? await pushState().catch(() => 'unsupported') : 'unsupported';
  const button = el('button', {
    type: 'button',
    class: following ? 'secondary' : null,
    'aria-pressed': following ? 'true' : 'false',
    id: 'follow',
    text: tr(following ? 'follow.off' : 'follow.on'),
  });
  const nodes = [
    el('h2', { id: 'follow-h', class: 'visually-hidden', text: tr(following ? 'follow.off' : 'follow.on') }),
    el('p', { text: tr(following ? 'follow.yes' : 'follow.no') }),
    el('div', { class: 'actions' }, button),
  ];
  if (following && push !== 'on' && push !== 'unsupported') {
    nodes.push(
      el('p', { class: 'hint' }, tr('follow.push'), ' ', el('a', { href: '#/settings', text: tr('follow.settings') })),
    );
  }
  box.replaceChildren(...nodes);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const path = `/requests/${encodeURIComponent(tn)}/follow`;
      const out = following ? await del(path, { auth: 'device' }) : await post(path, undefined, { auth: 'device' });
      ctx.announce(tr(out.following ? 'follow.done' : 'unfollow.done', { tn }));
      await drawFollow(box, tn, out.following, ctx);
      box.querySelector('#follow')?.focus();
    } catch (err) {
      console.warn('follow failed', err);
      button.disabled = false;
      ctx.announce(tr('follow.failed'));
    }
  });
}
