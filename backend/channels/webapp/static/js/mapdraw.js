// The city drawn as SVG from its own shapes (GET /api/v1/map/areas: outline and community areas;
// no tile server, works offline from a kept copy), with dots for requests and a pick marker: a tap,
// or the arrow keys and Enter, chooses a place inside the city.
//
//   import { mountMapPicker } from './mapdraw.js';
//   const map = await mountMapPicker(container, {
//     lat, long,                       // optional: a place already chosen (marked)
//     label: 'Choose the place',       // optional: the map's accessible name
//     onPick: ({ lat, long, area }) => { … },   // area: the community area's name (or null)
//   });
//   map.setPoint(lat, long); map.setRequests(items); map.destroy();
//
// The report form calls pickLocation(container, { initial: {lat, long}, onPick(lat, long) }).
//
// mountMapPicker rejects with a NetworkError when the shapes were never fetched and the device is
// offline. Lower level: loadShapes(), drawMap(container, shapes, options), areaAt(shapes, lat, long).
import { BASE, NetworkError } from './api.js';
import { translator } from './i18n.js';
import strings from './views/map.strings.js';

const tr = translator(strings);

const KEPT = 'city311.map.areas';
const SVG = 'http://www.w3.org/2000/svg';
const SCALE = 10000; // SVG units per degree of latitude (the map's coordinates stay integers-ish)
const MAX_ZOOM = 16;
const DOT = 32; // a request's dot, in map units at the whole city's zoom (~5 px on a phone)

let loaded = null;

// The city's shapes, revalidated with their ETag; the kept copy when offline or unchanged.
export function loadShapes() {
  loaded ||= fetchShapes().catch((err) => {
    loaded = null;
    throw err;
  });
  return loaded;
}

async function fetchShapes() {
  let kept = null;
  try {
    kept = JSON.parse(localStorage.getItem(KEPT) || 'null');
  } catch {
    kept = null;
  }
  let response;
  try {
    const headers = { Accept: 'application/json' };
    if (kept && kept.etag) headers['If-None-Match'] = kept.etag;
    response = await fetch(`${BASE}/map/areas`, { headers, cache: 'no-store' });
  } catch (err) {
    if (kept) return kept.shapes;
    throw new NetworkError(err);
  }
  if (response.status === 304 && kept) return kept.shapes;
  if (!response.ok) {
    if (kept) return kept.shapes;
    throw new Error(`map shapes: HTTP ${response.status}`);
  }
  const shapes = await response.json();
  try {
    localStorage.setItem(KEPT, JSON.stringify({ etag: response.headers.get('ETag'), shapes }));
  } catch {
    // storage full or refused: the map still draws, it just will not be there offline
  }
  return shapes;
}

// --- geometry -------------------------------------------------------------------------------

function inRing(ring, x, y) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

// A point (long, lat) in a GeoJSON MultiPolygon's coordinates (holes honoured).
export function inShape(shape, long, lat) {
  return shape.some((rings) => inRing(rings[0], long, lat) && !rings.slice(1).some((hole) => inRing(hole, long, lat)));
}

// The community area at a point, or null (outside the city).
export function areaAt(shapes, lat, long) {
  if (!inShape(shapes.outline, long, lat)) return null;
  return shapes.areas.find((a) => inShape(a.shape, long, lat)) || null;
}

// Longitude shrinks with latitude: degrees east are drawn cos(lat) as wide as degrees north.
function projection(bounds) {
  const [west, south, east, north] = bounds;
  const kx = Math.cos((((south + north) / 2) * Math.PI) / 180) * SCALE;
  return {
    width: (east - west) * kx,
    height: (north - south) * SCALE,
    x: (long) => (long - west) * kx,
    y: (lat) => (north - lat) * SCALE,
    long: (x) => west + x / kx,
    lat: (y) => north - y / SCALE,
  };
}

function pathOf(shape, p) {
  let d = '';
  for (const rings of shape) {
    for (const ring of rings) {
      d += ring.map(([long, lat], i) => `${i ? 'L' : 'M'}${p.x(long).toFixed(1)} ${p.y(lat).toFixed(1)}`).join('') + 'Z';
    }
  }
  return d;
}

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

let counter = 0;

// Draws the map into `container` (emptied first). Options:
//   title, description: the text alternative (<title>, <desc>);
//   onPick({lat, long, area}): makes the map a picker (tap, or arrows + Enter when focused);
//   point: {lat, long} marked at first; requests: [{lat, long, label, href, open}] as dots;
//   labels: true to write the areas' names (at a zoom where they fit).
// Returns { svg, setPoint(lat, long), setRequests(items), zoom(factor), zoomTo(k, lat, long),
// destroy() }.
export function drawMap(container, shapes, options = {}) {
  const id = `map${++counter}`;
  const p = projection(shapes.bounds);
  const svg = el('svg', {
    class: 'citymap',
    viewBox: `0 0 ${p.width.toFixed(0)} ${p.height.toFixed(0)}`,
    role: 'img',
    'aria-labelledby': `${id}-title ${id}-desc`,
    preserveAspectRatio: 'xMidYMid meet',
  });
  const title = el('title', { id: `${id}-title` }, options.title || 'Map');
  const desc = el('desc', { id: `${id}-desc` }, options.description || '');
  const areas = el('g', { class: 'areas' });
  for (const a of shapes.areas) {
    const path = el('path', { d: pathOf(a.shape, p), 'data-area': String(a.number) });
    path.append(el('title', {}, a.name));
    areas.append(path);
  }
  const outline = el('path', { class: 'outline', d: pathOf(shapes.outline, p) });
  const names = el('g', { class: 'names', 'aria-hidden': 'true' });
  for (const a of shapes.areas) {
    names.append(el('text', { x: p.x(a.label[0]).toFixed(0), y: p.y(a.label[1]).toFixed(0) }, a.name));
  }
  const dots = el('g', { class: 'requests' });
  const marker = el('g', { class: 'pick', visibility: 'hidden' });
  marker.append(el('circle', { r: '60' }), el('path', { d: 'M-140 0H140M0 -140V140' }));
  svg.append(title, desc, areas, outline, names, dots, marker);

  const full = { x: 0, y: 0, w: p.width, h: p.height };
  let view = { ...full };
  let point = null;

  function applyView() {
    svg.setAttribute('viewBox', `${view.x.toFixed(0)} ${view.y.toFixed(0)} ${view.w.toFixed(0)} ${view.h.toFixed(0)}`);
    const k = full.w / view.w; // the zoom: strokes, dots and names keep their size on screen
    names.setAttribute('visibility', options.labels && k >= 3 ? 'visible' : 'hidden');
    names.setAttribute('font-size', (view.w / 32).toFixed(1)); // ~12 px across a phone
    // the marker and the dots keep their size on screen at every zoom
    marker.setAttribute('transform', point ? `translate(${p.x(point.long)} ${p.y(point.lat)}) scale(${1 / k})` : '');
    for (const dot of dots.children) dot.setAttribute('r', (DOT / k).toFixed(1));
  }

  function zoom(factor, centre) {
    const w = Math.min(full.w, Math.max(full.w / MAX_ZOOM, view.w / factor));
    const h = (w / full.w) * full.h;
    const cx = centre ? centre.x : view.x + view.w / 2;
    const cy = centre ? centre.y : view.y + view.h / 2;
    view = {
      x: Math.min(full.w - w, Math.max(0, cx - w / 2)),
      y: Math.min(full.h - h, Math.max(0, cy - h / 2)),
      w,
      h,
    };
    applyView();
  }

  function setPoint(lat, long) {
    if (lat == null || long == null) {
      point = null;
      marker.setAttribute('visibility', 'hidden');
    } else {
      point = { lat: Number(lat), long: Number(long) };
      marker.setAttribute('visibility', 'visible');
    }
    applyView();
  }

  function setRequests(items) {
    dots.replaceChildren();
    for (const item of items || []) {
      const dot = el('circle', { cx: p.x(item.long).toFixed(0), cy: p.y(item.lat).toFixed(0), class: item.open ? 'open' : 'closed' });
      if (item.label) dot.append(el('title', {}, item.label));
      dots.append(dot);
    }
    applyView();
  }

  function pick(x, y) {
    const lat = p.lat(y);
    const long = p.long(x);
    const area = areaAt(shapes, lat, long);
    if (!area) return false; // outside the city: nothing picked
    const rounded = { lat: Math.round(lat * 1e5) / 1e5, long: Math.round(long * 1e5) / 1e5 };
    setPoint(rounded.lat, rounded.long);
    options.onPick({ ...rounded, area: area.name });
    return true;
  }

  const listeners = [];
  function listen(target, type, fn) {
    target.addEventListener(type, fn);
    listeners.push([target, type, fn]);
  }

  if (options.onPick) {
    svg.classList.add('picker');
    listen(svg, 'click', (event) => {
      const ctm = svg.getScreenCTM();
      if (!ctm) return;
      const at = new DOMPoint(event.clientX, event.clientY).matrixTransform(ctm.inverse());
      if (!pick(at.x, at.y) && options.onOutside) options.onOutside();
    });
  }

  if (options.point) setPoint(options.point.lat, options.point.long);
  if (options.requests) setRequests(options.requests);
  applyView();
  container.replaceChildren(svg);

  // Keyboard: on the focused frame, arrows move the marker (a tenth of the view), Enter or Space
  // picks, + and − zoom. The frame is the container (focusable, with the instructions as its name).
  if (options.onPick) {
    container.tabIndex = 0;
    container.setAttribute('role', 'application');
    container.setAttribute('aria-label', `${options.title || tr('map.title')}. ${tr('map.keys')}`);
    listen(container, 'keydown', (event) => {
      const step = view.w / 10;
      const here = point ? { x: p.x(point.long), y: p.y(point.lat) } : { x: view.x + view.w / 2, y: view.y + view.h / 2 };
      const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (event.key in moves) {
        const [dx, dy] = moves[event.key];
        const x = Math.min(full.w, Math.max(0, here.x + dx));
        const y = Math.min(full.h, Math.max(0, here.y + dy));
        point = { lat: p.lat(y), long: p.long(x) };
        marker.setAttribute('visibility', 'visible');
        if (x < view.x || x > view.x + view.w || y < view.y || y > view.y + view.h) zoom(1, { x, y });
        else applyView();
      } else if (event.key === 'Enter' || event.key === ' ') {
        if (!pick(here.x, here.y) && options.onOutside) options.onOutside();
      } else if (event.key === '+' || event.key === '=') {
        zoom(2, here);
      } else if (event.key === '-') {
        zoom(0.5, here);
      } else {
        return;
      }
      event.preventDefault();
    });
  }

  return {
    svg,
    setPoint,
    setRequests,
    zoom: (factor) => zoom(factor, point ? { x: p.x(point.long), y: p.y(point.lat) } : null),
    // at least `k` times the whole city, centred on a place (never zooms out)
    zoomTo(k, lat, long) {
      const target = Math.min(view.w, full.w / k);
      zoom(view.w / target, { x: p.x(long), y: p.y(lat) });
    },
    destroy() {
      for (const [target, type, fn] of listeners) target.removeEventListener(type, fn);
      container.replaceChildren();
    },
  };
}

// The map's own style sheet, added to the page once (the report view uses the map too).
function ensureStyle() {
  if (document.querySelector('link[data-map-css]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = '/app/css/map.css';
  link.dataset.mapCss = '';
  document.head.append(link);
}

// The map as a place picker, for the report form and the map view (see the top of this file):
// the drawing, zoom buttons, and a line saying what was picked (or that a tap was outside).
export async function mountMapPicker(container, { lat, long, label, description, onPick, onOutside } = {}) {
  ensureStyle();
  const shapes = await loadShapes();
  const frame = document.createElement('div');
  frame.className = 'mapframe';
  const bar = document.createElement('div');
  bar.className = 'mapzoom';
  const zoomIn = document.createElement('button');
  const zoomOut = document.createElement('button');
  for (const [button, text, key] of [[zoomIn, '+', 'map.zoom_in'], [zoomOut, '−', 'map.zoom_out']]) {
    button.type = 'button';
    button.className = 'secondary';
    button.textContent = text;
    button.setAttribute('aria-label', tr(key));
    button.title = tr(key);
  }
  bar.append(zoomIn, zoomOut);
  container.replaceChildren(frame, bar);
  const map = drawMap(frame, shapes, {
    title: label || tr('map.title'),
    description: description || tr('map.desc', { areas: shapes.areas.length }),
    onPick: onPick || (() => {}),
    onOutside,
    point: lat != null && long != null ? { lat, long } : null,
    labels: true,
  });
  zoomIn.addEventListener('click', () => map.zoom(2));
  zoomOut.addEventListener('click', () => map.zoom(0.5));
  const destroy = map.destroy;
  return { ...map, shapes, destroy: () => { destroy(); container.replaceChildren(); } };
}

// The report form's entry (js/locate.js looks for it): the picker in `container`, the place
// already chosen marked, onPick(lat, long) on each pick inside the city. A tap outside says so
// in the picker's own line. Resolves to the picker (as mountMapPicker), or null when the shapes
// cannot be had (offline, never fetched: the container then says so).
export async function pickLocation(container, { initial = null, onPick = () => {}, label } = {}) {
  const note = document.createElement('p');
  note.className = 'picked';
  note.setAttribute('aria-live', 'polite');
  const box = document.createElement('div');
  container.replaceChildren(box, note);
  try {
    return await mountMapPicker(box, {
      lat: initial && initial.lat,
      long: initial && initial.long,
      label,
      onPick: ({ lat, long, area }) => {
        note.textContent = tr('map.picked', { area, lat: lat.toFixed(5), long: long.toFixed(5) });
        onPick(lat, long);
      },
      onOutside: () => {
        note.textContent = tr('map.outside');
      },
    });
  } catch {
    note.textContent = tr('map.unavailable');
    return null;
  }
}
