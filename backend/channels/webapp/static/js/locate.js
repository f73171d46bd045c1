// Where the problem is: the device's position (geolocation), a typed address, cross streets or
// landmark looked up by the city's offline geocoder (GET /api/v1/places/search, candidates to pick
// one), a point's nearest address, the open requests already reported near a point, and a tap on
// the map (js/mapdraw.js).
import { get, query } from './api.js';

export const NEARBY_M = 150;

export class PositionError extends Error {
  constructor(kind) {
    super(kind);
    this.kind = kind; // 'unsupported' | 'denied' | 'unavailable' | 'timeout'
  }
}

export function devicePosition({ timeout = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) {
      reject(new PositionError('unsupported'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, long: p.coords.longitude, accuracy: p.coords.accuracy }),
      (err) => reject(new PositionError({ 1: 'denied', 2: 'unavailable', 3: 'timeout' }[err.code] || 'unavailable')),
      { enableHighAccuracy: true, timeout, maximumAge: 60000 },
    );
  });
}

// {query, places: [{label, lat, long, kind, confidence, address}], reason}
export function searchPlaces(text) {
  return get(`/places/search${query({ q: text })}`, { auth: false });
}

// The ward, community area… and nearest address of a point (422 outside-city when it is not in
// Chicago).
export function describePoint(lat, long) {
  return get(`/places/lookup${query({ lat: lat.toFixed(6), long: long.toFixed(6) })}`, { auth: false });
}

// Open requests of this service already reported near the point, nearest first.
export async function nearby(lat, long, service, radius = NEARBY_M) {
  const out = await get(
    `/requests${query({ near: `${lat.toFixed(6)},${long.toFixed(6)}`, radius, service, status: 'open', limit: 5 })}`,
    { auth: false },
  );
  return (out.items || []).sort((a, b) => (a.distanceM || 0) - (b.distanceM || 0));
}

// js/mapdraw.js (the map view's drawing) as a place picker: its mountMapPicker(container,
// {lat, long, label, onPick({lat, long}), onOutside}), or null when it cannot be loaded.
const MAPDRAW = './mapdraw.js';
export async function mapPicker() {
  try {
    const module = await import(MAPDRAW);
    return typeof module.mountMapPicker === 'function' ? module : null;
  } catch {
    return null;
  }
}
