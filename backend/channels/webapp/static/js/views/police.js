// A non-emergency police report, screened as the API screens it (POST /api/v1/police/screening):
// danger now → call 911; what only an officer or the district station takes → why, and the
// district's desk; otherwise the report itself (POST /api/v1/police/reports, with an
// Idempotency-Key kept across retries) and its tracking number. The questions and the incident
// kinds come from GET /api/v1/police/questions in the resident's language.
import { get, post, ApiError, NetworkError, newIdempotencyKey } from '../api.js';
import { translator, lang } from '../i18n.js';
import strings from './police.strings.js';
import { node } from '../dom.js';

export const title = 'police.title';
const tr = translator(strings);

// What the resident typed, kept when the view is left (another page, or the language switched,
// which draws the view again) and put back when it is drawn: nothing typed is lost.
let live = null; // { root, state } of the view on screen
let kept = null; // { state, values } of the view last left

function snapshot(root) {
  const values = {};
  for (const el of root.querySelectorAll('input, select, textarea')) {
    if (!el.id) continue;
    values[el.id] = el.type === 'radio' || el.type === 'checkbox' ? el.checked : el.value;
  }
  return values;
}

function restore(root, values) {
  for (const [id, value] of Object.entries(values || {})) {
    const el = root.querySelector(`#${CSS.escape(id)}`);
    if (!el) continue;
    if (el.type === 'radio' || el.type === 'checkbox') el.checked = value;
    else el.value = value;
  }
}

export function leave() {
  if (live && (live.state.step === 1 || live.state.step === 2)) {
    kept = { state: live.state, values: snapshot(live.root) };
  } else {
    kept = null;
  }
  live = null;
}

// A labelled input with its hint and its error, tied by aria-describedby.
function field(id, label, control, { hint, required } = {}) {
  control.id = id;
  control.name = id;
  if (required) control.required = true;
  const described = [];
  const wrap = node('div', { class: 'field' }, node('label', { for: id, text: required ? label : `${label} (${tr('optional')})` }));
  if (hint) {
    wrap.append(node('span', { id: `${id}-hint`, class: 'hint', text: hint }));
    described.push(`${id}-hint`);
  }
  const error = node('div', { id: `${id}-error`, class: 'field-error' });
  wrap.append(control, error);
  if (described.length) control.setAttribute('aria-describedby', described.join(' '));
  wrap.setError = (text) => {
    error.textContent = text || '';
    if (text) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
    const ids = [...described, ...(text ? [`${id}-error`] : [])];
    if (ids.length) control.setAttribute('aria-describedby', ids.join(' '));
    else control.removeAttribute('aria-describedby');
  };
  wrap.control = control;
  return wrap;
}

// A yes/no question as a radio group (a fieldset whose legend is the question).
function yesNo(code, question) {
  const set = node('fieldset', { id: `q-${code}`, 'aria-describedby': `q-${code}-error` });
  set.append(node('legend', { text: question }));
  for (const [value, label] of [['yes', tr('yes')], ['no', tr('no')]]) {
    const id = `q-${code}-${value}`;
    set.append(node('label', { for: id }, node('input', { type: 'radio', id, name: code, value }), label));
  }
  const error = node('div', { id: `q-${code}-error`, class: 'field-error' });
  set.append(error);
  set.value = () => {
    const checked = set.querySelector('input:checked');
    return checked ? checked.value === 'yes' : null;
  };
  set.setError = (text) => {
    error.textContent = text || '';
    for (const radio of set.querySelectorAll('input')) {
      if (text) radio.setAttribute('aria-invalid', 'true');
      else radio.removeAttribute('aria-invalid');
    }
  };
  return set;
}

function districtBox(district) {
  if (!district) return null;
  const phone = district.deskPhone || '';
  return node(
    'div',
    { class: 'card district' },
    node('h3', { text: tr('police.your_district') }),
    node('p', {}, tr('police.district_n', { number: district.number, name: district.name }), node('br'), district.stationAddress, node('br'), `${tr('police.desk')}: `, node('a', { href: `tel:${phone.replace(/[^0-9+]/g, '')}`, text: phone })),
  );
}

export async function render(root, params, ctx) {
  root = root.appendChild(document.createElement('div')); // detached when the resident leaves: late answers land nowhere
  const h1 = node('h1', { text: tr('police.title') });
  const emergency = node('p', { class: 'notice urgent' }, node('strong', { text: tr('police.emergency') }), ' ', node('a', { href: 'tel:911', text: tr('police.call911') }));
  const steps = node('ol', { class: 'steps' });
  const stage = node('div');
  root.append(h1, emergency, node('p', { text: tr('police.intro') }), steps, stage);

  function showStep(n) {
    state.step = n;
    steps.replaceChildren(
      ...['police.step1', 'police.step2', 'police.step3'].map((key, i) => node('li', { 'aria-current': i + 1 === n ? 'step' : null, text: `${i + 1}. ${tr(key)}` })),
    );
  }

  let questions;
  try {
    questions = await get(`/police/questions?lang=${lang()}`);
  } catch (err) {
    stage.append(node('p', { class: 'notice error', role: 'alert', text: tr(err instanceof NetworkError ? 'police.offline' : 'police.error') }));
    return;
  }

  const state = kept ? kept.state : { step: 1, screening: null, key: null, address: '' };
  live = { root, state };

  // --- step 1: the screening ------------------------------------------------------------------
  function screeningForm() {
    showStep(1);
    const form = node('form', { novalidate: true, 'aria-labelledby': 'police-step1' });
    form.append(node('h2', { id: 'police-step1', text: tr('police.step1') }));
    const select = node('select');
    select.append(node('option', { value: '', text: tr('police.kind_pick') }));
    for (const kind of questions.kinds) select.append(node('option', { value: kind.key, text: kind.name }));
    select.append(node('option', { value: 'other', text: tr('police.kind_other') }));
    const kind = field('police-kind', tr('police.kind'), select, { required: true });
    const sets = questions.screening.map((q) => yesNo(q.code, q.text));
    const address = field('police-address', tr('police.where'), node('input', { type: 'text', autocomplete: 'street-address', maxlength: '200' }), { hint: tr('police.where_hint') });
    const answers = state.screening && state.screening.answers;
    if (answers) {
      select.value = answers.kind || 'other';
      for (const set of sets) {
        const value = answers[set.id.slice(2).replace(/_(\w)/g, (m, c) => c.toUpperCase())];
        const radio = set.querySelector(`input[value="${value ? 'yes' : 'no'}"]`);
        if (radio) radio.checked = true;
      }
      address.control.value = answers.address || '';
    }
    const button = node('button', { type: 'submit', text: tr('police.check') });
    const result = node('div', { class: 'screening-out', 'aria-live': 'polite' });
    form.append(kind, ...sets, address, node('div', { class: 'actions' }, button), result);
    stage.replaceChildren(form);

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      let first = null;
      kind.setError(select.value ? '' : tr('police.required'));
      if (!select.value) first ||= select;
      for (const set of sets) {
        const missing = set.value() === null;
        set.setError(missing ? tr('police.answer') : '');
        if (missing) first ||= set.querySelector('input');
      }
      if (first) {
        first.focus();
        return;
      }
      const body = {
        kind: select.value === 'other' ? null : select.value,
        language: lang(),
      };
      for (const set of sets) body[set.id.slice(2).replace(/_(\w)/g, (m, c) => c.toUpperCase())] = set.value();
      const where = address.control.value.trim();
      if (where) body.address = where;
      button.disabled = true;
      result.replaceChildren(node('p', { class: 'muted', text: tr('police.checking') }));
      let screened;
      try {
        screened = await post('/police/screening', body);
      } catch (err) {
        button.disabled = false;
        result.replaceChildren();
        if (err instanceof ApiError && err.messages('address').length) {
          address.setError(err.messages('address').join(' '));
          address.control.focus();
        } else {
          result.append(node('p', { class: 'notice error', role: 'alert', text: tr(err instanceof NetworkError ? 'police.offline' : 'police.error') }));
        }
        return;
      }
      button.disabled = false;
      state.screening = { answers: { ...body }, outcome: screened };
      state.address = where;
      if (screened.outcome === 'eligible') {
        reportForm(screened);
        return;
      }
      const refusal = node('div', { class: 'notice error refusal', role: 'alert' }, node('h2', { text: tr('police.no_file') }), node('p', { class: 'refusal-message', text: screened.message || '' }));
      if (screened.outcome === 'call_911') refusal.append(node('p', {}, node('a', { class: 'button', href: 'tel:911', text: tr('police.call911') })));
      result.replaceChildren(refusal);
      const box = districtBox(screened.district);
      if (box) result.append(box);
      ctx.announce(screened.message || tr('police.no_file'));
    });
  }

  // --- step 2: the report -----------------------------------------------------------------------
  function reportForm(screened) {
    showStep(2);
    state.key = state.key || newIdempotencyKey(); // one report, however many times Send is pressed
    const form = node('form', { novalidate: true, 'aria-labelledby': 'police-step2' });
    const ok = node('p', { class: 'notice ok', text: tr('police.eligible') });
    const summary = node('div', { class: 'form-error', 'aria-live': 'assertive' });
    const fields = {
      description: field('police-description', tr('police.description'), node('textarea', { maxlength: '4000' }), { required: true }),
      occurred: field('police-occurred', tr('police.occurred'), node('input', { type: 'text', maxlength: '1000' }), { required: true, hint: tr('police.occurred_hint') }),
      address: field('police-report-address', tr('police.where'), node('input', { type: 'text', autocomplete: 'street-address', maxlength: '200' }), { required: true, hint: tr('police.where_hint') }),
      property: field('police-property', tr('police.property'), node('input', { type: 'text', maxlength: '1000' })),
      estimatedValue: field('police-value', tr('police.value'), node('input', { type: 'text', inputmode: 'decimal' })),
      serialNumbers: field('police-serials', tr('police.serials'), node('input', { type: 'text', maxlength: '1000' })),
      name: field('police-name', tr('police.name'), node('input', { type: 'text', autocomplete: 'name' })),
      email: field('police-email', tr('police.email'), node('input', { type: 'email', autocomplete: 'email' })),
      phone: field('police-phone', tr('police.phone'), node('input', { type: 'tel', autocomplete: 'tel' })),
    };
    fields.address.control.value = state.address;
    // the device's location: its point is sent, its nearest address shown (and editable: a
    // changed address is sent instead of the point)
    const locate = node('button', { type: 'button', class: 'secondary', text: tr('police.locate') });
    fields.address.append(node('div', { class: 'actions' }, locate));
    fields.address.control.addEventListener('input', () => {
      if (state.point && fields.address.control.value !== state.point.label) state.point = null;
    });
    locate.addEventListener('click', () => {
      fields.address.setError('');
      if (!navigator.geolocation) {
        fields.address.setError(tr('police.no_location'));
        return;
      }
      locate.disabled = true;
      ctx.announce(tr('police.locating'));
      navigator.geolocation.getCurrentPosition(
        async (pos) => {
          const lat = Math.round(pos.coords.latitude * 1e6) / 1e6;
          const long = Math.round(pos.coords.longitude * 1e6) / 1e6;
          let label = `${lat.toFixed(5)}, ${long.toFixed(5)}`;
          try {
            const place = await get(`/places/lookup?lat=${lat}&long=${long}`);
            label = place.address || label;
          } catch (err) {
            if (err instanceof ApiError && err.type === 'outside-city') {
              locate.disabled = false;
              fields.address.setError(tr('police.outside'));
              return;
            }
            // offline or unknown: the point alone will do
          }
          locate.disabled = false;
          state.point = { lat, long, label };
          fields.address.control.value = label;
          ctx.announce(tr('police.located', { place: label }));
        },
        () => {
          locate.disabled = false;
          fields.address.setError(tr('police.no_location'));
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
      );
    });
    const contact = node('fieldset', { 'aria-describedby': 'police-contact-hint' }, node('legend', { text: tr('police.contact') }), node('span', { id: 'police-contact-hint', class: 'hint', text: tr('police.contact_hint') }), fields.name, fields.email, fields.phone);
    const back = node('button', { type: 'button', class: 'secondary', text: tr('police.change') });
    const send = node('button', { type: 'submit', text: tr('police.submit') });
    form.append(
      node('h2', { id: 'police-step2', text: tr('police.step2') }),
      ok,
      summary,
      fields.description,
      fields.occurred,
      fields.address,
      fields.property,
      fields.estimatedValue,
      fields.serialNumbers,
      contact,
      node('div', { class: 'actions' }, send, back),
    );
    const box = districtBox(screened.district);
    stage.replaceChildren(form);
    if (box) stage.append(box);
    back.addEventListener('click', () => screeningForm());
    fields.description.control.focus();

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      summary.replaceChildren();
      for (const f of Object.values(fields)) f.setError('');
      let first = null;
      for (const name of ['description', 'occurred', 'address']) {
        if (!fields[name].control.value.trim()) {
          fields[name].setError(tr('police.required'));
          first ||= fields[name].control;
        }
      }
      const valueText = fields.estimatedValue.control.value.trim().replace(/[$,\s]/g, '');
      const value = valueText ? Number(valueText) : null;
      if (valueText && !(Number.isFinite(value) && value >= 0)) {
        fields.estimatedValue.setError(tr('police.number'));
        first ||= fields.estimatedValue.control;
      }
      if (first) {
        summary.append(node('p', { class: 'notice error', text: tr('police.fix') }));
        first.focus();
        return;
      }
      const { kind, offenderPresent, needsMedical, firearm, address } = state.screening.answers;
      const report = { screening: { kind, offenderPresent, needsMedical, firearm, language: lang() } };
      if (address) report.screening.address = address;
      for (const [name, f] of Object.entries(fields)) {
        const text = f.control.value.trim();
        if (name === 'estimatedValue') {
          if (value !== null) report.estimatedValue = value;
        } else if (text) {
          report[name] = text;
        }
      }
      if (state.point && report.address === state.point.label) {
        report.lat = state.point.lat;
        report.long = state.point.long;
      }
      send.disabled = true;
      send.textContent = tr('police.sending');
      let filed;
      try {
        filed = await post('/police/reports', report, { auth: 'device', idempotencyKey: state.key });
      } catch (err) {
        send.disabled = false;
        send.textContent = tr('police.submit');
        if (err instanceof ApiError && err.errors.length) {
          let focus = null;
          for (const e of err.errors) {
            const f = fields[e.field];
            if (f) {
              f.setError(e.message);
              focus ||= f.control;
            }
          }
          const other = err.errors.filter((e) => !fields[e.field]).map((e) => e.message);
          summary.append(node('p', { class: 'notice error', role: 'alert', text: [tr('police.fix'), ...other].join(' ') }));
          if (focus) focus.focus();
        } else {
          summary.append(node('p', { class: 'notice error', role: 'alert', text: tr(err instanceof NetworkError ? 'police.offline' : 'police.error') }));
        }
        return;
      }
      done(filed);
    });
  }

  // --- step 3: sent -------------------------------------------------------------------------
  function done(filed) {
    showStep(3);
    const again = node('button', { type: 'button', class: 'secondary', text: tr('police.another') });
    const heading = node('h2', { tabindex: '-1', text: tr('police.sent') });
    stage.replaceChildren(
      node(
        'div',
        { class: 'notice ok police-sent' },
        heading,
        node('p', { text: tr('police.tracking') }),
        node('p', { class: 'tracking', text: filed.trackingNumber }),
        node('p', { text: filed.message }),
      ),
      node('div', { class: 'actions' }, again),
    );
    heading.focus();
    ctx.announce(`${tr('police.sent')}: ${filed.trackingNumber}`);
    again.addEventListener('click', () => {
      state.screening = null;
      state.key = null;
      state.address = '';
      state.point = null;
      screeningForm();
    });
  }

  const values = kept && kept.values;
  kept = null;
  if (state.step === 2 && state.screening) reportForm(state.screening.outcome);
  else screeningForm();
  restore(root, values);
}
