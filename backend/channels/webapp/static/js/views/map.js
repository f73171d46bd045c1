// The map: the city's outline and community areas drawn from its own shapes (js/mapdraw.js, offline
// once fetched), and the requests reported near the place the resident taps (or their location),
// as dots on the map and as a list below it (the map's text alternative). #/map?lat=…&long=…
import { get, query, NetworkError } from '../api.js';
import { translator } from '../i18n.js';
import { mountMapPicker, areaAt } from '../mapdraw.js';
import strings from './map.strings.js';
import { node } from '../dom.js';

export const title = 'map.title';
const tr = translator(strings);
const RADIUS = 1000;
const ZOOM = 6; // ~5 km across: a 1 km radius fills half of it

export async function render(root, params, ctx) {
  root = root.appendChild(document.createElement('div')); // detached when the resident leaves: late answers land nowhere
  const h1 = node('h1', { text: tr('map.title') });
  const intro = node('p', { text: tr('map.intro') });
  const box = node('div', { class: 'mapbox' });
  const picked = node('p', { class: 'picked', 'aria-live': 'polite' });
  const locate = node('button', { type: 'button', class: 'secondary', text: tr('map.locate') });
  const links = node('p', { class: 'actions' });
  const results = node('section', { 'aria-labelledby': 'nearby-h' });
  root.append(h1, intro, node('div', { class: 'actions' }, locate), box, picked, links, results);

  let map;
  const lat0 = Number(ctx.query.get('lat'));
  const long0 = Number(ctx.query.get('long'));
  const start = ctx.query.has('lat') && Number.isFinite(lat0) && Number.isFinite(long0) ? { lat: lat0, long: long0 } : null;
  try {
    map = await mountMapPicker(box, {
      lat: start && start.lat,
      long: start && start.long,
      onPick: (where) => choose(where),
      onOutside: () => {
        picked.textContent = tr('map.outside');
      },
    });
  } catch (err) {
    box.replaceChildren(node('p', { class: 'notice error', role: 'alert', text: tr(err instanceof NetworkError ? 'map.unavailable' : 'map.unavailable') }));
    return;
  }

  let shown = 0;
  async function choose({ lat, long, area }, { remember = true } = {}) {
    const id = ++shown;
    picked.textContent = tr('map.picked', { area, lat: lat.toFixed(5), long: long.toFixed(5) });
    if (remember) history.replaceState(null, '', `#/map${query({ lat, long })}`);
    map.zoomTo(ZOOM, lat, long); // the neighbourhood, where the nearby dots are told apart
    links.replaceChildren(
      node('a', { href: `#/report${query({ lat, long })}`, class: 'button', text: tr('map.report_here') }),
      node('a', { href: `#/where${query({ lat, long })}`, class: 'button secondary', text: tr('map.where_here') }),
    );
    const heading = node('h2', { id: 'nearby-h', text: tr('map.nearby', { radius: RADIUS }) });
    results.replaceChildren(heading, node('p', { class: 'muted', text: tr('map.loading') }));
    let page;
    try {
      page = await get(`/requests${query({ near: `${lat},${long}`, radius: RADIUS, limit: 50 })}`);
    } catch (err) {
      if (id !== shown) return;
      results.replaceChildren(heading, node('p', { class: 'notice', text: tr(err instanceof NetworkError ? 'map.offline' : 'map.unavailable') }));
      map.setRequests([]);
      return;
    }
    if (id !== shown) return;
    const items = page.items || [];
    map.setRequests(
      items.map((r) => ({ lat: r.lat, long: r.long, open: r.statusGroup === 'open', label: `${r.serviceName} · ${r.trackingNumber}` })),
    );
    map.svg.querySelector('desc').textContent = `${tr('map.desc', { areas: map.shapes.areas.length })} ${tr('map.desc_requests', { count: items.length })}`;
    if (!items.length) {
      results.replaceChildren(heading, node('p', { text: tr('map.none') }));
      ctx.announce(tr('map.none'));
      return;
    }
    const list = node('ul', { class: 'list nearby' });
    for (const r of items) {
      const state = tr(r.statusGroup === 'open' ? 'map.open' : 'map.closed');
      const meta = [r.address, state, r.distanceM != null ? `${Math.round(r.distanceM)} m` : null].filter(Boolean).join(' · ');
      list.append(
        node('li', {}, node('a', { class: 'choice', href: `#/r/${encodeURIComponent(r.trackingNumber)}` }, `${r.serviceName} — ${r.trackingNumber}`, node('small', { text: meta }))),
      );
    }
    results.replaceChildren(heading, list);
    ctx.announce(tr('map.count', { count: items.length, area }));
  }

  locate.addEventListener('click', () => {
    if (!navigator.geolocation) {
      picked.textContent = tr('map.no_location');
      return;
    }
    picked.textContent = tr('map.locating');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const lat = Math.round(pos.coords.latitude * 1e5) / 1e5;
        const long = Math.round(pos.coords.longitude * 1e5) / 1e5;
        const area = areaAt(map.shapes, lat, long);
        if (!area) {
          picked.textContent = tr('map.outside');
          return;
        }
        map.setPoint(lat, long);
        choose({ lat, long, area: area.name });
      },
      () => {
        picked.textContent = tr('map.no_location');
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });

  if (start) {
    const area = areaAt(map.shapes, start.lat, start.long);
    if (area) choose({ ...start, area: area.name }, { remember: false });
  }
}
