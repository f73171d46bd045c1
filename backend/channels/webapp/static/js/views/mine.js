// My requests (#/mine): the requests reported from this device (GET /api/v1/me/requests) and the
// others it follows (GET /api/v1/me/following?reported=false: the API leaves out its own reports,
// which it follows too, so no page repeats one), newest first, each linking to its page, with
// "show more" paging and "stop following". A device that never reported nor followed anything
// has no token yet: nothing is registered just to show an empty list.
import { get, del, deviceToken } from '../api.js';
import { translator, formatDate } from '../i18n.js';
import { syncLanguage } from '../push.js';
import { el, useStyles } from './request.js';
import strings from './mine.strings.js';

const tr = translator(strings);
export const title = 'mine.title';
const PAGE = 20;

function statusName(status) {
  const key = `status.${status}`;
  const name = tr(key);
  return name === key ? status : name;
}

// The API's next link is absolute (…/api/v1/me/requests?cursor=…): the path after /api/v1.
function nextPath(next) {
  if (!next) return null;
  const url = new URL(next, location.origin);
  return url.pathname.replace(/^.*?\/api\/v1/, '') + url.search;
}

export async function render(root, params, ctx) {
  useStyles();
  syncLanguage();
  root.append(el('h1', { text: tr('mine.title') }), el('p', { class: 'muted', text: tr('mine.intro') }));
  const kept = await keptCount();
  if (kept) root.append(el('p', { class: 'notice', role: 'status', text: tr('mine.kept', { count: kept }) }));
  if (!deviceToken()) {
    root.append(el('p', { text: tr('mine.none.reported') }), links());
    return;
  }
  const reportedList = el('ul', { class: 'list requests', id: 'reported' });
  const followingList = el('ul', { class: 'list requests', id: 'following' });
  const reportedBox = el('section', { 'aria-labelledby': 'reported-h' }, el('h2', { id: 'reported-h', text: tr('mine.reported') }), reportedList);
  const followingBox = el('section', { 'aria-labelledby': 'following-h' }, el('h2', { id: 'following-h', text: tr('mine.following') }), followingList);
  root.append(reportedBox, followingBox);

  const [mine, followed] = await Promise.all([
    get(`/me/requests?limit=${PAGE}`, { auth: 'optional' }),
    get(`/me/following?reported=false&limit=${PAGE}`, { auth: 'optional' }),
  ]);
  fill(reportedList, reportedBox, mine, { ctx, own: true });
  fill(followingList, followingBox, followed, { ctx, own: false });
  if (!reportedList.children.length) reportedList.replaceWith(el('p', { class: 'muted', text: tr('mine.none.reported') }));
  if (!followingList.children.length) followingList.replaceWith(el('p', { class: 'muted', text: tr('mine.none.following') }));
  root.append(links());
}

function fill(list, box, page, state) {
  for (const r of page.items) list.append(item(r, state));
  box.querySelector('.more')?.remove();
  const next = nextPath(page.next);
  if (!next) return;
  const more = el('button', { type: 'button', class: 'secondary more', text: tr('mine.more') });
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const count = list.children.length;
      fill(list, box, await get(next, { auth: 'optional' }), state);
      list.children[count]?.querySelector('a')?.focus();
    } catch {
      more.disabled = false;
      state.ctx.announce(tr('follow.failed'));
    }
  });
  box.append(el('div', { class: 'actions more' }, more));
}

function item(r, { ctx, own }) {
  const li = el(
    'li',
    { 'data-tracking': r.trackingNumber },
    el(
      'a',
      { class: 'choice', href: `#/r/${encodeURIComponent(r.trackingNumber)}` },
      el('span', { text: r.serviceName }),
      el('small', {}, `${r.trackingNumber} · `, el('strong', { text: statusName(r.status) })),
      el('small', {}, tr('mine.updated', { date: formatDate(r.updatedAt, { dateStyle: 'medium' }) })),
      r.address ? el('small', { text: r.address }) : null,
    ),
  );
  if (!own) {
    const stop = el('button', { type: 'button', class: 'link', text: tr('mine.unfollow', { tn: r.trackingNumber }) });
    stop.addEventListener('click', async () => {
      stop.disabled = true;
      try {
        await del(`/requests/${encodeURIComponent(r.trackingNumber)}/follow`, { auth: 'device' });
        ctx.announce(tr('mine.unfollowed', { tn: r.trackingNumber }));
        const next = li.nextElementSibling || li.previousElementSibling;
        li.remove();
        next?.querySelector('a')?.focus();
      } catch {
        stop.disabled = false;
        ctx.announce(tr('follow.failed'));
      }
    });
    li.append(stop);
  }
  return li;
}

function links() {
  return el(
    'div',
    { class: 'actions' },
    el('a', { class: 'button', href: '#/report', text: tr('mine.report') }),
    el('a', { class: 'button secondary', href: '#/r/', text: tr('mine.track') }),
  );
}

// Reports kept on this device, not sent yet (js/drafts.js), when it can count them.
async function keptCount() {
  try {
    const drafts = await import('../drafts.js');
    return (await drafts.list()).length;
  } catch {
    return 0;
  }
}
