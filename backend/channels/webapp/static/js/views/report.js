// Report a problem: the service type (search in the resident's language), its questions, photos
// (made smaller on the device), where it is (the device's position, a typed address, cross streets
// or landmark with candidates to pick, or a tap on the map), "already reported nearby? follow
// instead", review, and send with an Idempotency-Key. A report that cannot be sent now is kept on
// the device (js/drafts.js) and sent by itself when the connection returns.
import { ApiError, NetworkError, deviceToken, ensureDevice, forgetDevice, get, newIdempotencyKey, post } from '../api.js';
import { lang, translator } from '../i18n.js';
import * as drafts from '../drafts.js';
import { MAX_PHOTOS, resize } from '../photos.js';
import { describePoint, devicePosition, mapPicker, nearby, searchPlaces } from '../locate.js';
import strings from './report.strings.js';

const t = translator(strings);
export const title = 'title';

const STEPS = ['service', 'details', 'where', 'review'];
let catalog = null; // {lang, groups, services: Map(code -> service)}
let state = fresh();
let root = null;
let ctx = null;
let unsubscribe = null;

function fresh() {
  return {
    step: 'service', query: '', code: null, answers: {}, description: '', photos: [],
    typed: '', places: null, placesReason: '', offlineTyped: false, location: null,
    nearby: null, errors: {}, notice: null, result: null, sending: false,
    contact: { name: '', email: '', phone: '' },
  };
}

// -- a little DOM --------------------------------------------------------------------------
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  add(el, children);
  return el;
}
// Append children, arrays flattened, null, undefined and false left out.
function add(el, ...children) {
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) el.append(c);
}
const button = (text, onclick, cls) => h('button', { type: 'button', class: cls, onclick }, text);
const fold = (s) => String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
let uid = 0;
const newId = (p) => `${p}-${++uid}`;

function fieldErrors(field, id) {
  const messages = state.errors[field] || [];
  if (!messages.length) return null;
  return h('p', { class: 'field-error', id }, messages.join(' '));
}

// -- the catalog -------------------------------------------------------------------------------
async function loadCatalog() {
  if (catalog && catalog.lang === lang()) return catalog;
  // the catalog index.html asked for as the page started, once, if in this language
  const early = window.city311Catalog;
  window.city311Catalog = null;
  const out = (early && early.lang === lang() && (await early.answer)) || (await get('/services', { auth: false }));
  const services = new Map();
  for (const g of out.groups) for (const s of g.services) services.set(s.code, s);
  catalog = { lang: lang(), groups: out.groups, services };
  return catalog;
}
const service = () => (catalog && state.code ? catalog.services.get(state.code) : null);

// -- the view ------------------------------------------------------------------------------------
export async function render(el, params, context) {
  root = el;
  ctx = context;
  if (state.step === 'done' || state.step === 'kept') state = fresh();
  await loadCatalog();
  startFrom(context.query);
  if (unsubscribe) unsubscribe();
  const off = drafts.onChange(() => drawOutbox());
  const onFlush = () => drawOutbox();
  document.addEventListener('drafts', onFlush);
  unsubscribe = () => {
    off();
    document.removeEventListener('drafts', onFlush);
  };
  draw();
}

// #/report?service=CODE (from an information article) starts with that type;
// #/report?lat=…&long=… (a place picked on the map view) with that place.
function startFrom(query) {
  if (!query) return;
  const code = query.get('service');
  if (code && catalog.services.has(code) && state.code !== code) {
    state = fresh();
    state.code = code;
    state.step = 'details';
  }
  const lat = Number.parseFloat(query.get('lat'));
  const long = Number.parseFloat(query.get('long'));
  if (Number.isFinite(lat) && Number.isFinite(long)) {
    state.location = { lat, long, label: query.get('label') || t('where.yourLocation') };
  }
}

export function leave() {
  if (unsubscribe) unsubscribe();
  unsubscribe = null;
}

export async function relabel() {
  try {
    await loadCatalog();
  } catch {
    // offline with no kept catalog in this language: keep the one shown
  }
  draw(false);
}

function draw(focus = true) {
  root.innerHTML = '';
  add(root, h('h1', { text: t('title') }), h('section', { id: 'outbox', 'aria-live': 'polite' }));
  drawOutbox();
  const index = STEPS.indexOf(state.step);
  if (index >= 0) {
    add(root, 
      h('ol', { class: 'steps', 'aria-label': t('step.of', { n: index + 1, total: STEPS.length }) },
        STEPS.map((s, i) => h('li', { 'aria-current': i === index ? 'step' : null }, `${i + 1}. ${t(`step.${s}`)}`))),
    );
  }
  if (state.notice) add(root, h('div', { class: `notice ${state.notice.kind}`, role: 'alert' }, state.notice.text));
  const body = h('div', { class: 'step' });
  add(root, body);
  ({ service: drawService, details: drawDetails, where: drawWhere, nearby: drawNearby, review: drawReview,
    done: drawDone, kept: drawKept })[state.step](body);
  if (focus) {
    const heading = body.querySelector('h2') || root.querySelector('h1');
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

function go(step) {
  state.step = step;
  state.notice = null;
  draw();
}

// -- step 1: which service ---------------------------------------------------------------------
function drawService(body) {
  const id = newId('q');
  const results = h('div', { id: 'service-results' });
  const input = h('input', { id, type: 'search', autocomplete: 'off', value: state.query, 'aria-describedby': `${id}-hint`,
    'aria-controls': 'service-results' });
  input.addEventListener('input', () => {
    state.query = input.value;
    showServices(results);
  });
  add(body, 
    h('h2', { class: 'visually-hidden', text: t('step.service') }),
    h('label', { for: id, text: t('service.label') }),
    h('span', { class: 'hint', id: `${id}-hint`, text: t('service.hint') }),
    input, results,
  );
  showServices(results);
}

function pickService(code) {
  if (state.code !== code) state.answers = {};
  state.code = code;
  state.nearby = null;
  go('details');
}

function serviceButton(s) {
  return h('li', {}, h('button', { type: 'button', class: 'choice', 'data-code': s.code, onclick: () => pickService(s.code) },
    s.name, s.description ? h('small', {}, s.description) : null));
}

function showServices(results) {
  results.innerHTML = '';
  const words = fold(state.query).split(/\s+/).filter(Boolean);
  if (!words.length) {
    add(results, h('h2', { text: t('service.browse') }));
    for (const g of catalog.groups) {
      add(results, h('details', {}, h('summary', {}, g.name), h('ul', { class: 'list' }, g.services.map(serviceButton))));
    }
    return;
  }
  const found = [];
  for (const s of catalog.services.values()) {
    const name = fold(s.name);
    const all = `${name} ${fold(s.description)} ${fold(s.group)}`;
    if (words.every((w) => all.includes(w))) found.push([words.every((w) => name.includes(w)) ? 0 : 1, s]);
  }
  found.sort((a, b) => a[0] - b[0] || a[1].name.localeCompare(b[1].name, lang()));
  add(results, h('p', { class: 'muted', role: 'status' }, found.length ? t('service.count', { n: found.length }) : t('service.none', { q: state.query })));
  add(results, h('ul', { class: 'list' }, found.slice(0, 30).map(([, s]) => serviceButton(s))));
}

// -- step 2: its questions, a description, photos ----------------------------------------------
function questionInput(q) {
  const id = `answer-${q.code}`;
  const field = `answers.${q.code}`;
  const errId = `${id}-error`;
  const value = state.answers[q.code];
  const invalid = state.errors[field] ? 'true' : null;
  const described = [q.description ? `${id}-hint` : null, invalid ? errId : null].filter(Boolean).join(' ') || null;
  const set = (v) => {
    state.answers[q.code] = v;
  };
  const label = [q.label, q.required ? '' : ` (${t('optional')})`].join('');
  const hint = q.description ? h('span', { class: 'hint', id: `${id}-hint`, text: q.description }) : null;
  if (q.datatype === 'singlevaluelist' || q.datatype === 'multivaluelist') {
    const multi = q.datatype === 'multivaluelist';
    if (!multi && q.choices.length > 7) {
      const select = h('select', { id, required: q.required, 'aria-invalid': invalid, 'aria-describedby': described,
        onchange: (e) => set(e.target.value) },
        h('option', { value: '' }, t('details.choose')),
        q.choices.map((c) => h('option', { value: c.key, selected: value === c.key }, c.name)));
      return h('div', {}, h('label', { for: id, text: label }), hint, fieldErrors(field, errId), select);
    }
    const picked = new Set(multi ? value || [] : [value]);
    return h('fieldset', { id, 'aria-invalid': invalid, 'aria-describedby': described },
      h('legend', { text: label }), hint, fieldErrors(field, errId),
      q.choices.map((c) => {
        const input = h('input', { type: multi ? 'checkbox' : 'radio', name: id, value: c.key, checked: picked.has(c.key) });
        input.addEventListener('change', () => {
          if (!multi) set(c.key);
          else {
            const now = new Set(state.answers[q.code] || []);
            if (input.checked) now.add(c.key);
            else now.delete(c.key);
            set([...now]);
          }
        });
        return h('label', {}, input, c.name);
      }));
  }
  const attrs = { id, required: q.required, 'aria-invalid': invalid, 'aria-describedby': described, value: value ?? '' };
  let input;
  if (q.datatype === 'text') input = h('textarea', { ...attrs, value: null }, value ?? '');
  else if (q.datatype === 'number') input = h('input', { ...attrs, type: 'number', min: '0', step: 'any', inputmode: 'decimal' });
  else if (q.datatype === 'datetime') input = h('input', { ...attrs, type: 'datetime-local' });
  else input = h('input', { ...attrs, type: 'text', maxlength: '500' });
  input.addEventListener('input', () => set(input.value));
  return h('div', {}, h('label', { for: id, text: label }), hint, fieldErrors(field, errId), input);
}

function drawDetails(body) {
  const s = service();
  add(body, 
    h('h2', { text: s.name }),
    s.description ? h('p', { class: 'muted', text: s.description }) : null,
    button(t('details.change'), () => go('service'), 'link'),
    s.questions.map(questionInput),
  );
  const descId = 'description';
  const desc = h('textarea', { id: descId, maxlength: '4000', 'aria-describedby': `${descId}-hint`,
    'aria-invalid': state.errors.description ? 'true' : null }, state.description);
  desc.addEventListener('input', () => {
    state.description = desc.value;
  });
  add(body, 
    h('label', { for: descId }, t('details.description'), ` (${t('optional')})`),
    h('span', { class: 'hint', id: `${descId}-hint`, text: t('details.descriptionHint') }),
    fieldErrors('description', `${descId}-error`), desc,
  );
  drawPhotos(body);
  add(body, h('div', { class: 'actions' }, button(t('back'), () => go('service'), 'secondary'), button(t('next'), detailsDone)));
}

function drawPhotos(body) {
  const box = h('fieldset', { class: 'photos' }, h('legend', { text: t('details.photos') }),
    h('span', { class: 'hint', id: 'photos-hint', text: t('details.photosHint', { n: MAX_PHOTOS }) }));
  const photoErrors = Object.keys(state.errors).filter((f) => f.startsWith('photos')).flatMap((f) => state.errors[f]);
  if (photoErrors.length) add(box, h('p', { class: 'field-error' }, photoErrors.join(' ')));
  add(box, h('ul', { class: 'thumbs' }, state.photos.map((p, i) => h('li', {},
    h('img', { src: p.url, alt: t('details.photoAlt', { n: i + 1 }) }),
    button(t('details.removePhoto', { n: i + 1 }), () => {
      URL.revokeObjectURL(p.url);
      state.photos.splice(i, 1);
      draw(false);
    }, 'link')))));
  if (state.photos.length < MAX_PHOTOS) {
    const camera = h('input', { type: 'file', accept: 'image/*', capture: 'environment', id: 'photo-camera', class: 'visually-hidden' });
    const files = h('input', { type: 'file', accept: 'image/*', multiple: true, id: 'photo-files', class: 'visually-hidden' });
    for (const input of [camera, files]) input.addEventListener('change', () => addPhotos(input.files));
    add(box, h('div', { class: 'actions' },
      camera, h('label', { for: 'photo-camera', class: 'button secondary' }, t('details.takePhoto')),
      files, h('label', { for: 'photo-files', class: 'button secondary' }, t('details.choosePhotos'))));
  }
  add(body, box);
}

async function addPhotos(fileList) {
  const files = Array.from(fileList || []);
  let failed = false;
  for (const file of files) {
    if (state.photos.length >= MAX_PHOTOS) {
      ctx.announce(t('details.tooMany', { n: MAX_PHOTOS }));
      break;
    }
    try {
      const { blob } = await resize(file);
      state.photos.push({ blob, url: URL.createObjectURL(blob) });
    } catch {
      failed = true;
    }
  }
  for (const f of Object.keys(state.errors)) if (f.startsWith('photos')) delete state.errors[f];
  if (failed) state.errors.photos = [t('details.photoError')];
  draw(false);
  const next = root.querySelector('#photo-files') ? root.querySelector('label[for=photo-files]') : root.querySelector('.thumbs button');
  if (next) next.focus();
}

function detailsDone() {
  const s = service();
  state.errors = {};
  for (const q of s.questions) {
    const v = state.answers[q.code];
    const empty = v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length);
    if (q.required && empty) state.errors[`answers.${q.code}`] = [t('details.missing')];
  }
  if (Object.keys(state.errors).length) {
    state.notice = { kind: 'error', text: t('error.fix') };
    draw(false);
    const first = root.querySelector('[aria-invalid="true"]');
    if (first) (first.querySelector('input') || first).focus();
    return;
  }
  go('where');
}

// -- step 3: where -------------------------------------------------------------------------------
function drawWhere(body) {
  add(body, h('h2', { text: t('where.title') }));
  const status = h('p', { class: 'muted', role: 'status' });
  if (state.location) {
    add(body, h('p', { class: 'notice ok', id: 'chosen-place' }, t('where.chosen', { label: placeLabel(state.location) })));
  }
  const locErrors = ['address', 'lat', 'long'].flatMap((f) => state.errors[f] || []);
  if (locErrors.length) add(body, h('p', { class: 'field-error', role: 'alert' }, locErrors.join(' ')));
  add(body, h('div', { class: 'actions' }, button(t('where.useDevice'), () => useDevice(status), 'secondary')), status);

  const id = 'place-query';
  const input = h('input', { id, type: 'text', autocomplete: 'street-address', value: state.typed, 'aria-describedby': `${id}-hint` });
  input.addEventListener('input', () => {
    state.typed = input.value;
  });
  const form = h('form', { role: 'search', onsubmit: (e) => {
    e.preventDefault();
    findPlaces(status);
  } },
  h('label', { for: id, text: t('where.typed') }), h('span', { class: 'hint', id: `${id}-hint`, text: t('where.typedHint') }),
  input, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, t('where.find'))));
  add(body, form);
  if (state.places) add(body, drawPlaces());
  if (state.offlineTyped) {
    add(body, h('div', { class: 'notice' }, h('p', { text: t('where.offline') }),
      button(t('where.useTyped', { q: state.typed }), () => {
        state.location = { address: state.typed.trim(), label: state.typed.trim(), unchecked: true };
        state.offlineTyped = false;
        go('where');
      }, 'secondary')));
  }
  const mapBox = h('div', { id: 'map-pick' });
  add(body, mapBox);
  mapPicker().then((mapdraw) => {
    if (!mapdraw || !mapBox.isConnected) return;
    add(mapBox, button(t('where.map'), async () => {
      const loc = state.location || {};
      try {
        await mapdraw.mountMapPicker(mapBox, {
          lat: loc.lat, long: loc.long, label: t('where.map'),
          onPick: ({ lat, long }) => usePoint(lat, long, status),
          onOutside: () => { status.textContent = t('where.outside'); },
        });
      } catch {
        status.textContent = t('error.network');
      }
    }, 'secondary'));
  });
  add(body, h('div', { class: 'actions' }, button(t('back'), () => go('details'), 'secondary'), button(t('next'), whereDone)));
}

const placeLabel = (loc) => loc.label + (loc.unchecked ? ` (${t('review.unchecked')})` : '');

function drawPlaces() {
  const list = h('div', { id: 'place-candidates' });
  if (!state.places.length) {
    add(list, h('p', { class: 'field-error' }, t('where.noPlace', { q: state.typed }), state.placesReason ? ` (${state.placesReason})` : ''));
    return list;
  }
  add(list, h('h3', { text: t('where.candidates') }), h('ul', { class: 'list' }, state.places.map((p) => h('li', {},
    h('button', { type: 'button', class: 'choice', onclick: () => {
      state.location = { lat: p.lat, long: p.long, label: p.label, address: p.label };
      state.places = null;
      state.errors = {};
      go('where');
      const next = root.querySelector('.actions:last-child button:last-child');
      if (next) next.focus();
    } }, p.label, p.address ? h('small', {}, p.address) : null, h('span', { class: 'visually-hidden' }, ` — ${t('where.pick')}`))))));
  return list;
}

async function findPlaces(status) {
  const q = state.typed.trim();
  if (!q) return;
  status.textContent = t('where.searching');
  state.offlineTyped = false;
  try {
    const out = await searchPlaces(q);
    state.places = out.places;
    state.placesReason = out.reason;
  } catch (err) {
    state.places = null;
    if (err instanceof NetworkError) state.offlineTyped = true;
    else state.errors = { address: [err.messages('q').join(' ') || err.message] };
  }
  draw(false);
  const target = root.querySelector('#place-candidates button, #place-candidates p, .notice button');
  if (target) target.focus();
}

async function useDevice(status) {
  status.textContent = t('where.locating');
  try {
    const p = await devicePosition();
    await usePoint(p.lat, p.long, status);
  } catch (err) {
    status.textContent = t(err.kind === 'denied' ? 'where.denied' : 'where.unavailable');
  }
}

async function usePoint(lat, long, status) {
  let label = t('where.yourLocation');
  try {
    const place = await describePoint(lat, long);
    if (place.address) label = place.address;
  } catch (err) {
    if (err instanceof ApiError && err.type === 'outside-city') {
      status.textContent = t('where.outside');
      return;
    }
    // offline: the point is enough; the server finds its nearest address
  }
  state.location = { lat, long, label };
  state.errors = {};
  go('where');
}

async function whereDone() {
  if (!state.location) {
    state.notice = { kind: 'error', text: t('where.needed') };
    draw(false);
    return;
  }
  state.nearby = null;
  const loc = state.location;
  if (loc.lat !== undefined) {
    try {
      state.nearby = await nearby(loc.lat, loc.long, state.code);
    } catch {
      state.nearby = null; // offline: nothing to compare with now
    }
  }
  go(state.nearby && state.nearby.length ? 'nearby' : 'review');
}

// -- "already reported nearby?" --------------------------------------------------------------------
function drawNearby(body) {
  add(body, h('h2', { text: t('nearby.title') }), h('p', { text: t('nearby.intro') }));
  const list = h('ul', { class: 'list' });
  for (const r of state.nearby) {
    const status = h('p', { role: 'status' });
    const followBtn = button(t('nearby.follow'), async () => {
      followBtn.disabled = true;
      try {
        await post(`/requests/${encodeURIComponent(r.trackingNumber)}/follow`, undefined, { auth: 'device' });
        status.textContent = t('nearby.following', { tn: r.trackingNumber });
      } catch (err) {
        followBtn.disabled = false;
        status.textContent = err instanceof NetworkError ? t('error.network') : err.message;
      }
    });
    add(list, h('li', { class: 'card' },
      h('p', {}, h('strong', {}, r.serviceName), ` · ${r.address || ''}`),
      h('p', { class: 'muted' }, `${r.trackingNumber} · ${t('nearby.distance', { m: Math.round(r.distanceM || 0) })}`),
      r.latestPublicNote ? h('p', { text: r.latestPublicNote }) : null,
      h('div', { class: 'actions' }, followBtn, h('a', { href: `#/r/${encodeURIComponent(r.trackingNumber)}`, class: 'button secondary' }, t('nearby.see'))),
      status));
  }
  add(body, list, h('div', { class: 'actions' }, button(t('back'), () => go('where'), 'secondary'), button(t('nearby.different'), () => go('review'))));
}

// -- review and send -----------------------------------------------------------------------------
function answerText(q) {
  const v = state.answers[q.code];
  if (v === undefined || v === '' || (Array.isArray(v) && !v.length)) return null;
  const name = (key) => (q.choices.find((c) => c.key === key) || { name: key }).name;
  if (q.datatype === 'singlevaluelist') return name(v);
  if (q.datatype === 'multivaluelist') return v.map(name).join(', ');
  return String(v);
}

function drawReview(body) {
  const s = service();
  const edit = (step) => button(t('review.edit'), () => go(step), 'link');
  const rows = [[t('review.problem'), s.name, 'service']];
  for (const q of s.questions) {
    const a = answerText(q);
    if (a !== null) rows.push([q.label, a, 'details']);
  }
  rows.push([t('review.description'), state.description.trim() || t('review.none'), 'details']);
  rows.push([t('review.photos'), state.photos.length ? String(state.photos.length) : t('review.none'), 'details']);
  rows.push([t('review.place'), placeLabel(state.location), 'where']);
  add(body, h('h2', { text: t('review.title') }),
    h('dl', { class: 'review' }, rows.map(([k, v, step]) => [h('dt', {}, k), h('dd', {}, v, ' ', edit(step))])),
    state.photos.length ? h('ul', { class: 'thumbs' }, state.photos.map((p, i) => h('li', {}, h('img', { src: p.url, alt: t('details.photoAlt', { n: i + 1 }) })))) : null);
  add(body, contactFields());
  const sendBtn = button(state.sending ? t('review.sending') : t('review.send'), submit);
  sendBtn.id = 'send-report';
  sendBtn.disabled = state.sending;
  add(body, h('div', { class: 'actions' }, button(t('back'), () => go('where'), 'secondary'), sendBtn));
}

// Optional: how the city may reach the resident. Never shown publicly.
function contactFields() {
  const box = h('fieldset', { 'aria-describedby': 'contact-hint' }, h('legend', { text: t('contact.title') }),
    h('span', { class: 'hint', id: 'contact-hint', text: t('contact.hint') }));
  for (const [field, type, auto] of [['name', 'text', 'name'], ['email', 'email', 'email'], ['phone', 'tel', 'tel']]) {
    const id = `contact-${field}`;
    const invalid = state.errors[field] ? 'true' : null;
    const input = h('input', { id, type, autocomplete: auto, value: state.contact[field], maxlength: field === 'name' ? '120' : '254',
      'aria-invalid': invalid, 'aria-describedby': invalid ? `${id}-error` : null });
    input.addEventListener('input', () => {
      state.contact[field] = input.value;
    });
    add(box, h('label', { for: id }, t(`contact.${field}`), ` (${t('optional')})`), fieldErrors(field, `${id}-error`), input);
  }
  return box;
}

function localIso(value) {
  // datetime-local '2026-12-07T14:30' -> with the device's offset, as the API wants
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const pad = (n) => String(Math.abs(Math.trunc(n))).padStart(2, '0');
  return `${value.length === 16 ? `${value}:00` : value}${sign}${pad(off / 60)}:${pad(off % 60)}`;
}

function requestBody() {
  const s = service();
  const answers = {};
  for (const q of s.questions) {
    let v = state.answers[q.code];
    if (v === undefined || v === '' || (Array.isArray(v) && !v.length)) continue;
    if (q.datatype === 'number') v = Number(v);
    if (q.datatype === 'datetime') v = localIso(v);
    answers[q.code] = v;
  }
  const body = { serviceCode: s.code, description: state.description.trim(), answers };
  const loc = state.location;
  if (loc.lat !== undefined) Object.assign(body, { lat: loc.lat, long: loc.long });
  if (loc.address) body.address = loc.address;
  for (const [field, value] of Object.entries(state.contact)) if (value.trim()) body[field] = value.trim();
  return body;
}

async function submit() {
  if (state.sending) return;
  state.sending = true;
  draw(false);
  let token = deviceToken();
  if (!token) token = await ensureDevice().catch(() => null); // offline: registered when sent
  const draft = drafts.make({ key: newIdempotencyKey(), body: requestBody(), photos: state.photos.map((p) => p.blob),
    lang: lang(), token, summary: `${service().name} · ${state.location.label}` });
  let kept = null;
  try {
    await drafts.keep(draft, { sync: false });
    await drafts.flush({ token: ensureDevice, forget: forgetDevice });
    kept = await drafts.get(draft.id);
  } catch (err) {
    console.error(err);
  }
  state.sending = false;
  if (kept && kept.state === 'sent') {
    await drafts.remove(draft.id);
    state.result = kept.request;
    go('done');
  } else if (kept && kept.state === 'failed') {
    await drafts.remove(draft.id);
    showProblem(kept.problem);
  } else {
    await drafts.requestSync();
    go('kept');
  }
}

function showProblem(problem) {
  const err = new ApiError(problem.status || 422, problem);
  state.errors = {};
  for (const e of err.errors) (state.errors[e.field] ||= []).push(e.message);
  const fields = Object.keys(state.errors);
  let step = 'review';
  if (fields.some((f) => f.startsWith('answers') || f.startsWith('photos') || f === 'description')) step = 'details';
  else if (fields.some((f) => ['address', 'lat', 'long'].includes(f))) step = 'where';
  state.step = step;
  state.notice = { kind: 'error', text: err.message };
  draw();
}

function drawDone(body) {
  const r = state.result;
  add(body, h('h2', { text: t('done.title') }),
    h('div', { class: 'notice ok' }, h('p', { text: t('done.tracking') }), h('p', { class: 'tracking', id: 'tracking-number' }, r.trackingNumber),
      h('p', { text: t('done.keep') })),
    h('div', { class: 'actions' }, h('a', { class: 'button', href: `#/r/${encodeURIComponent(r.trackingNumber)}` }, t('done.view')),
      button(t('done.another'), () => {
        state = fresh();
        draw();
      }, 'secondary')));
}

function drawKept(body) {
  add(body, h('h2', { text: t('kept.title') }), h('p', { class: 'notice', text: t('kept.body') }),
    h('div', { class: 'actions' }, button(t('done.another'), () => {
      state = fresh();
      draw();
    }, 'secondary')));
}

// -- the outbox: kept reports, and what became of them ---------------------------------------------
async function drawOutbox() {
  const box = root && root.querySelector('#outbox');
  if (!box) return;
  let kept = [];
  try {
    kept = await drafts.list();
  } catch {
    return; // no IndexedDB here
  }
  box.innerHTML = '';
  if (!kept.length) return;
  add(box, h('h2', { text: t('outbox.title') }), h('ul', { class: 'list' }, kept.map((d) => {
    let line;
    if (d.state === 'sent') {
      const tn = d.request && d.request.trackingNumber;
      line = h('p', {}, t('outbox.sent'), ' ', h('a', { href: `#/r/${encodeURIComponent(tn)}`, class: 'sent-tracking' }, tn));
    } else if (d.state === 'failed') {
      line = h('p', { class: 'field-error' }, t('outbox.failed', { detail: (d.problem && d.problem.detail) || '' }));
    } else {
      line = h('p', { class: 'muted' }, t('outbox.pending'));
    }
    if (d.state === 'failed') {
      return h('li', { class: 'card', 'data-state': d.state }, h('p', {}, h('strong', {}, d.summary)), line,
        h('div', { class: 'actions' }, button(t('outbox.edit'), () => reopen(d), 'secondary'),
          button(t('outbox.dismiss'), async () => {
            await drafts.remove(d.id);
            drawOutbox();
          }, 'link')));
    }
    const actions = d.state === 'pending'
      ? button(t('outbox.sendNow'), async () => {
        await drafts.flush({ token: ensureDevice, forget: forgetDevice });
        document.dispatchEvent(new CustomEvent('drafts'));
      }, 'secondary')
      : button(t('outbox.dismiss'), async () => {
        await drafts.remove(d.id);
        drawOutbox();
      }, 'link');
    return h('li', { class: 'card', 'data-state': d.state }, h('p', {}, h('strong', {}, d.summary)), line, actions);
  })));
}

// A kept report the server refused, back in the form with the server's words beside the fields at
// fault; sent again, it is a new report (a new key): the refused one made nothing.
async function reopen(d) {
  const b = d.body;
  state = fresh();
  state.code = catalog.services.has(b.serviceCode) ? b.serviceCode : null;
  state.answers = { ...(b.answers || {}) };
  state.description = b.description || '';
  state.photos = d.photos.map((blob) => ({ blob, url: URL.createObjectURL(blob) }));
  for (const field of ['name', 'email', 'phone']) state.contact[field] = b[field] || '';
  if (b.lat !== undefined) state.location = { lat: b.lat, long: b.long, label: b.address || t('where.yourLocation'), address: b.address };
  else if (b.address) {
    state.location = null; // a typed address that was refused: look it up again
    state.typed = b.address;
  }
  await drafts.remove(d.id);
  if (!state.code) {
    go('service');
    return;
  }
  showProblem(d.problem || {});
}
