// Settings (#/settings): Web Push for this browser (the real VAPID flow, js/push.js), and how this
// device hears of what it follows (GET/PUT /api/v1/me/preferences): quiet hours (the city's, none,
// or its own), each update or a daily digest, and the language of the app and its notifications.
import { get, put, ApiError } from '../api.js';
import { translator, lang, setLang, LANGUAGES } from '../i18n.js';
import * as push from '../push.js';
import { el, useStyles } from './request.js';
import strings from './settings.strings.js';

const tr = translator(strings);
export const title = 'settings.title';
const NAMES = { en: 'English', es: 'Español', pl: 'Polski', zh: '中文' };

export async function render(root, params, ctx) {
  useStyles();
  await push.syncLanguage();
  const prefs = await get('/me/preferences', { auth: 'device' });
  const pushBox = el('section', { class: 'card settings-card', 'aria-labelledby': 'push-h', id: 'push' });
  root.append(el('h1', { text: tr('settings.title') }), pushBox, preferencesForm(prefs, ctx), languageBox());
  await drawPush(pushBox, prefs, ctx);
}

async function drawPush(box, prefs, ctx) {
  const state = await push.state();
  const nodes = [el('h2', { id: 'push-h', text: tr('push.title') }), el('p', { text: tr('push.intro') })];
  const say = (key) => nodes.push(el('p', { class: 'notice', id: 'push-state', 'data-state': state, text: tr(key) }));
  if (state === 'unsupported') say('push.unsupported');
  else if (state === 'denied') say('push.denied');
  else say(state === 'on' ? 'push.on' : 'push.off');
  let resume = null;
  if (state === 'on' && !prefs.channels.includes('push')) {
    resume = el('button', { type: 'button', id: 'push-resume', text: tr('push.resume') });
    nodes.push(el('p', { class: 'hint', id: 'push-paused', text: tr('push.paused') }));
  }
  let button = null;
  if (state === 'on' || state === 'off') {
    button = el('button', {
      type: 'button',
      id: 'push-toggle',
      class: state === 'on' ? 'secondary' : null,
      text: tr(state === 'on' ? 'push.disable' : 'push.enable'),
    });
    nodes.push(el('div', { class: 'actions' }, resume, button));
  }
  box.replaceChildren(...nodes);
  resume?.addEventListener('click', async () => {
    resume.disabled = true;
    try {
      Object.assign(prefs, await put('/me/preferences', { channels: ['push'] }, { auth: 'device' }));
      ctx.announce(tr('push.enabled'));
    } catch (err) {
      console.warn('push not resumed', err);
      ctx.announce(tr('push.failed'));
    }
    await drawPush(box, prefs, ctx);
    box.querySelector('#push-toggle')?.focus();
  });
  if (!button) return;
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      if (state === 'on') {
        await push.disable();
        ctx.announce(tr('push.disabled'));
      } else {
        await push.enable();
        if (!prefs.channels.includes('push')) Object.assign(prefs, await put('/me/preferences', { channels: ['push'] }, { auth: 'device' }));
        ctx.announce(tr('push.enabled'));
      }
    } catch (err) {
      console.warn('push not changed', err);
      ctx.announce(tr(err && err.reason === 'denied' ? 'push.denied' : 'push.failed'));
    }
    await drawPush(box, prefs, ctx);
    box.querySelector('#push-toggle')?.focus();
  });
}

function radio(name, value, label, checked, extra = {}) {
  const id = `${name}-${value}`;
  return el('label', { for: id }, el('input', { type: 'radio', name, value, id, checked, ...extra }), label);
}

// "22:00-07:00" -> ["22:00", "07:00"]
function hours(spec) {
  const m = /^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(spec || '');
  return m ? [m[1].padStart(5, '0'), m[2].padStart(5, '0')] : ['', ''];
}

function preferencesForm(prefs, ctx) {
  const mode = prefs.quietHours === null ? 'city' : prefs.quietHours === '' ? 'none' : 'own';
  const [from, to] = hours(prefs.quietHours);
  const cityLabel = prefs.cityQuietHours
    ? tr('quiet.city', { hours: prefs.cityQuietHours.replace('-', '–') })
    : tr('quiet.cityNone');
  const fromInput = el('input', { type: 'time', id: 'quiet-from', name: 'quiet-from', value: from });
  const toInput = el('input', { type: 'time', id: 'quiet-to', name: 'quiet-to', value: to });
  const ownTimes = el(
    'div',
    { class: 'quiet-own', id: 'quiet-times' },
    el('label', { for: 'quiet-from', text: tr('quiet.from') }),
    fromInput,
    el('label', { for: 'quiet-to', text: tr('quiet.to') }),
    toInput,
  );
  const quietError = el('p', { class: 'field-error', id: 'quiet-error', role: 'alert' });
  const quiet = el(
    'fieldset',
    { 'aria-describedby': 'quiet-intro quiet-error' },
    el('legend', { text: tr('quiet.title') }),
    el('p', { class: 'hint', id: 'quiet-intro', text: tr('quiet.intro') }),
    radio('quiet', 'city', cityLabel, mode === 'city'),
    radio('quiet', 'none', tr('quiet.none'), mode === 'none'),
    radio('quiet', 'own', tr('quiet.own'), mode === 'own', { 'aria-controls': 'quiet-times' }),
    ownTimes,
    quietError,
  );
  const digest = el(
    'fieldset',
    {},
    el('legend', { text: tr('digest.title') }),
    radio('digest', 'instant', tr('digest.instant'), prefs.digest !== 'daily'),
    radio('digest', 'daily', tr('digest.daily'), prefs.digest === 'daily'),
  );
  const form = el('form', { id: 'preferences', novalidate: true }, quiet, digest);
  const showTimes = () => {
    const own = form.elements.quiet.value === 'own';
    ownTimes.hidden = !own;
  };
  showTimes();
  form.addEventListener('change', showTimes);
  form.append(el('div', { class: 'actions' }, el('button', { type: 'submit', text: tr('prefs.save') })));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    quietError.textContent = '';
    for (const input of [fromInput, toInput]) input.removeAttribute('aria-invalid');
    const chosen = form.elements.quiet.value;
    let quietHours = null;
    if (chosen === 'none') quietHours = '';
    if (chosen === 'own') {
      if (!fromInput.value || !toInput.value) {
        quietError.textContent = tr('quiet.missing');
        (fromInput.value ? toInput : fromInput).setAttribute('aria-invalid', 'true');
        (fromInput.value ? toInput : fromInput).focus();
        return;
      }
      quietHours = `${fromInput.value}-${toInput.value}`;
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const saved = await put('/me/preferences', { quietHours, digest: form.elements.digest.value }, { auth: 'device' });
      Object.assign(prefs, saved);
      ctx.announce(tr('prefs.saved'));
    } catch (err) {
      const messages = err instanceof ApiError ? err.messages('quietHours') : [];
      quietError.textContent = messages.join(' ') || tr('prefs.failed');
      if (messages.length) fromInput.setAttribute('aria-invalid', 'true');
      ctx.announce(tr('prefs.failed'));
    } finally {
      button.disabled = false;
    }
  });
  return el('section', { class: 'card settings-card', 'aria-labelledby': 'prefs-h' }, el('h2', { id: 'prefs-h', class: 'visually-hidden', text: tr('quiet.title') }), form);
}

function languageBox() {
  const select = el(
    'select',
    { id: 'settings-lang' },
    LANGUAGES.map((code) => el('option', { value: code, lang: code, selected: code === lang(), text: NAMES[code] })),
  );
  // the router draws the page again in the new language (and push.syncLanguage re-registers)
  select.addEventListener('change', () => setLang(select.value));
  return el(
    'section',
    { class: 'card settings-card', 'aria-labelledby': 'language-h' },
    el('h2', { id: 'language-h', text: tr('language.title') }),
    el('p', { class: 'hint', id: 'language-intro', text: tr('language.intro') }),
    el('label', { for: 'settings-lang', text: tr('language.label') }),
    select,
  );
}
