// "Who serves me": an address, two cross streets or the device's location → ward and alderman
// (with the ward office), community area, neighborhood, police district and station, beat, and
// the beat's next meeting (GET /api/v1/places/lookup). #/where?address=… or #/where?lat=…&long=…
import { get, query, ApiError, NetworkError } from '../api.js';
import { translator, formatDate } from '../i18n.js';
import strings from './where.strings.js';
import { node } from '../dom.js';

export const title = 'where.title';
const tr = translator(strings);

function telLink(phone) {
  return phone ? node('a', { href: `tel:${phone.replace(/[^0-9+]/g, '')}`, text: phone }) : tr('where.none');
}

// One answer as a description list, in the order a resident asks: who, then the police.
function answer(place) {
  const dl = node('dl', { class: 'review places' });
  const row = (term, ...value) => dl.append(node('dt', { text: term }), node('dd', {}, ...value));
  const ward = place.ward;
  if (ward) {
    row(tr('where.ward'), tr('where.ward_n', { number: ward.number }));
    row(tr('where.alderman'), ward.alderman || tr('where.none'));
    if (ward.officeAddress) row(tr('where.office'), ward.officeAddress);
    if (ward.officePhone) row(tr('where.phone'), telLink(ward.officePhone));
    if (ward.email) row(tr('where.email'), node('a', { href: `mailto:${ward.email}`, text: ward.email }));
  }
  row(tr('where.community'), place.communityArea || tr('where.none'));
  if (place.neighborhood) row(tr('where.neighborhood'), place.neighborhood);
  const district = place.policeDistrict;
  if (district) {
    row(tr('where.district'), tr('where.district_n', { number: district.number, name: district.name }));
    row(tr('where.station'), district.stationAddress, node('br'), telLink(district.stationPhone));
  }
  row(tr('where.beat'), place.policeBeat || tr('where.none'));
  const meeting = place.nextBeatMeeting;
  if (meeting) {
    const when = formatDate(meeting.startsAt, { dateStyle: 'full', timeStyle: 'short', timeZone: 'America/Chicago' });
    const note = node('small', { class: 'hint', text: meeting.confirmed ? tr('where.confirmed') : meeting.projected ? tr('where.projected') : '' });
    row(tr('where.meeting'), node('strong', { class: 'meeting-when', text: when }), node('br'), meeting.location, note);
  } else if (place.policeBeat) {
    row(tr('where.meeting'), tr('where.no_meeting'));
  }
  return dl;
}

export async function render(root, params, ctx) {
  root = root.appendChild(document.createElement('div')); // detached when the resident leaves: late answers land nowhere
  const h1 = node('h1', { text: tr('where.title') });
  const intro = node('p', { text: tr('where.intro') });
  const form = node('form', { novalidate: '', role: 'search' });
  const input = node('input', {
    id: 'where-address',
    name: 'address',
    type: 'text',
    autocomplete: 'street-address',
    'aria-describedby': 'where-hint',
  });
  const hint = node('span', { id: 'where-hint', class: 'hint', text: tr('where.hint') });
  const error = node('div', { id: 'where-error', class: 'field-error' });
  const submit = node('button', { type: 'submit', text: tr('where.lookup') });
  const locate = node('button', { type: 'button', class: 'secondary', text: tr('where.locate') });
  form.append(node('label', { for: 'where-address', text: tr('where.address') }), hint, input, error, node('div', { class: 'actions' }, submit, locate));
  const out = node('section', { 'aria-live': 'polite', class: 'where-out' });
  root.append(h1, intro, form, out);

  function fieldError(text) {
    error.textContent = text || '';
    if (text) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'where-hint where-error');
    } else {
      input.removeAttribute('aria-invalid');
      input.setAttribute('aria-describedby', 'where-hint');
    }
  }

  let asked = 0;
  // The places a text the lookup could not place may be (GET /places/search), to pick one.
  async function candidates(text, id) {
    let found;
    try {
      found = await get(`/places/search${query({ q: text })}`);
    } catch {
      return false;
    }
    if (id !== asked || !found.places.length) return false;
    const list = node('ul', { class: 'list candidates', 'aria-labelledby': 'where-candidates-h' });
    for (const place of found.places) {
      const pick = node('button', { type: 'button', class: 'choice', text: place.label });
      pick.addEventListener('click', () => {
        input.value = place.label;
        lookup({ lat: place.lat, long: place.long }, { label: place.label });
      });
      list.append(node('li', {}, pick));
    }
    out.replaceChildren(node('h2', { id: 'where-candidates-h', text: tr('where.did_you_mean') }), list);
    list.querySelector('button').focus();
    return true;
  }

  async function lookup(params, { focusOnError = true, label = null } = {}) {
    const id = ++asked;
    fieldError('');
    out.replaceChildren(node('p', { class: 'muted', text: tr('where.looking') }));
    history.replaceState(null, '', `#/where${query(params)}`);
    let place;
    try {
      place = await get(`/places/lookup${query(params)}`);
    } catch (err) {
      if (id !== asked) return;
      out.replaceChildren();
      if (err instanceof NetworkError) {
        out.append(node('p', { class: 'notice error', role: 'alert', text: tr('where.offline') }));
        return;
      }
      if (!(err instanceof ApiError)) throw err;
      const outside = err.type === 'outside-city';
      fieldError(outside ? tr('where.outside') : tr('where.not_found'));
      if (!outside && params.address && (await candidates(params.address, id))) return;
      if (focusOnError) input.focus();
      return;
    }
    if (id !== asked) return;
    const shownAs = label || place.address || tr('where.point');
    const heading = node('h2', { text: tr('where.result', { address: shownAs }) });
    const mapLink = node('a', { href: `#/map${query({ lat: place.lat, long: place.long })}`, text: tr('where.on_map') });
    out.replaceChildren(heading, answer(place), node('p', {}, mapLink));
    ctx.announce(heading.textContent);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const address = input.value.trim();
    if (!address) {
      fieldError(tr('where.required'));
      input.focus();
      return;
    }
    lookup({ address });
  });

  locate.addEventListener('click', () => {
    if (!navigator.geolocation) {
      fieldError(tr('where.no_location'));
      return;
    }
    out.replaceChildren(node('p', { class: 'muted', text: tr('where.locating') }));
    navigator.geolocation.getCurrentPosition(
      (pos) => lookup({ lat: pos.coords.latitude.toFixed(6), long: pos.coords.longitude.toFixed(6) }),
      () => {
        out.replaceChildren();
        fieldError(tr('where.no_location'));
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });

  // a place given in the address (from the map, or a language change redrawing the view)
  const address = ctx.query.get('address');
  if (address) {
    input.value = address;
    await lookup({ address }, { focusOnError: false });
  } else if (ctx.query.get('lat') && ctx.query.get('long')) {
    await lookup({ lat: ctx.query.get('lat'), long: ctx.query.get('long') }, { focusOnError: false });
  }
}
