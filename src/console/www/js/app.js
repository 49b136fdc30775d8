// The console's page: who the operator is (GET /api/whoami), the navigation
// their role may use, and hash routing to one module per view.

import { h, clear, replace } from './dom.js';
import { get } from './api.js';
import { ROLES, unitName } from './words.js';
import { errorBox, loading, message, setPrint, refreshPrintStamp } from './ui.js';

// path → the view's module, who may use it, its label in the navigation
// (none: reached from other views only).
const ROUTES = [
  { path: 'inbox', roles: ['supervisor'], label: '待审核', mod: './views/inbox.js' },
  { path: 'inbox', roles: ['convener'], label: '报备事项', mod: './views/inbox.js' },
  { path: 'unit', roles: ['member'], label: '本单位报备', mod: './views/unit.js' },
  { path: 'board', roles: ['supervisor', 'convener', 'member'], label: '督办看板', mod: './views/board.js' },
  { path: 'dossier', roles: ['supervisor', 'convener'], label: '任前把关', mod: './views/dossier.js' },
  { path: 'reviews', roles: ['supervisor', 'convener', 'member'], label: '任前联审', mod: './views/reviews.js' },
  { path: 'meetings', roles: ['supervisor', 'convener'], label: '联席会议', mod: './views/meetings.js' },
  { path: 'brief', roles: ['convener'], label: '通报材料', mod: './views/brief.js' },
  { path: 'sent', roles: ['supervisor', 'convener'], label: '通报与简报', mod: './views/sent.js' },
  { path: 'sent', roles: ['member'], label: '收到的通报', mod: './views/sent.js' },
  { path: 'audit', roles: ['auditor'], label: '审计记录', mod: './views/audit.js' },
  { path: 'filing', roles: ['supervisor', 'convener', 'member'], label: '', mod: './views/filing.js' },
];

const HOME = { supervisor: 'inbox', convener: 'meetings', auditor: 'audit', member: 'unit' };

let me = null;

// whoami's role "member:police" (or role "member" with unit) → {role, unit}.
function identity(w) {
  const src = w && (w.name || w.role) ? w : (w && w.data) || {};
  let role = String(src.role || '');
  let unit = String(src.unit || '');
  const i = role.indexOf(':');
  if (i > 0) {
    if (!unit) unit = role.slice(i + 1);
    role = role.slice(0, i);
  }
  return {
    name: String(src.name || ''),
    role,
    unit,
    unitName: unit ? unitName(unit, src.unit_name) : '',
  };
}

function routeFor(path, role) {
  return ROUTES.find((r) => r.path === path && r.roles.indexOf(role) >= 0) || null;
}

// "#/filing/2026-000054?x=1" → {path, arg, params}
function parseHash() {
  let s = location.hash.replace(/^#\/?/, '');
  let q = '';
  const qi = s.indexOf('?');
  if (qi >= 0) {
    q = s.slice(qi + 1);
    s = s.slice(0, qi);
  }
  const segs = s.split('/');
  let arg = '';
  try {
    arg = segs.slice(1).map(decodeURIComponent).join('/');
  } catch (e) {
    arg = segs.slice(1).join('/');
  }
  return { path: segs[0] || '', arg, params: new URLSearchParams(q) };
}

export function hashOf(path, arg, params) {
  let s = '#/' + path;
  if (arg) s += '/' + encodeURIComponent(arg);
  if (params) {
    const qs = new URLSearchParams();
    for (const k of Object.keys(params)) {
      const v = params[k];
      if (v !== undefined && v !== null && v !== '' && v !== false) qs.set(k, String(v));
    }
    const q = qs.toString();
    if (q) s += '?' + q;
  }
  return s;
}

function renderNav(current) {
  const nav = document.getElementById('nav');
  clear(nav);
  const ul = h('ul');
  for (const r of ROUTES) {
    if (!r.label || r.roles.indexOf(me.role) < 0) continue;
    const a = h('a', { href: '#/' + r.path, text: r.label });
    if (r.path === current || (current === 'filing' && r.path === HOME[me.role]))
      a.setAttribute('aria-current', 'page');
    ul.appendChild(h('li', a));
  }
  nav.appendChild(ul);
}

function renderWho() {
  const who = document.getElementById('who');
  const roleName = ROLES[me.role] || me.role;
  replace(who,
    h('span.who-label', { text: '操作员：' }),
    h('span.who-name', { text: me.name || '（未知）' }),
    h('span.who-role', { text: me.unitName ? me.unitName + ' ' + roleName : roleName }));
}

let generation = 0;

async function route() {
  const main = document.getElementById('main');
  const at = parseHash();
  if (!at.path || !ROUTES.some((r) => r.path === at.path)) {
    location.replace(hashOf(HOME[me.role] || 'inbox'));
    return;
  }
  renderNav(at.path);
  const r = routeFor(at.path, me.role);
  const view = h('div.view');
  replace(main, view);
  if (!r) {
    setPrint('');
    view.appendChild(message('error', '您的角色（' + (ROLES[me.role] || me.role) + '）不能使用此功能。'));
    return;
  }
  const mine = ++generation;
  view.appendChild(loading());
  let mod;
  try {
    mod = await import(r.mod);
  } catch (e) {
    replace(view, message('error', '页面程序未能载入，请刷新重试。'));
    return;
  }
  if (mine !== generation) return;
  clear(view);
  setPrint(r.label || '干部监督联席会议信息平台');
  const ctx = {
    me,
    view,
    arg: at.arg,
    params: at.params,
    alive: () => mine === generation,
    // Changes the view's parameters (filters, page): a new hash, a new render.
    go(params, arg, path) {
      const h2 = hashOf(path || at.path, arg === undefined ? at.arg : arg, params);
      if (h2 === location.hash) route();
      else location.hash = h2;
    },
    href: hashOf,
  };
  try {
    await mod.render(ctx);
  } catch (e) {
    if (mine === generation) view.appendChild(errorBox(e));
  }
}

async function start() {
  const main = document.getElementById('main');
  replace(main, loading('正在识别操作员……'));
  let w;
  try {
    w = await get('whoami');
  } catch (e) {
    replace(document.getElementById('who'), h('span', { text: '未识别操作员' }));
    replace(main, h('div.view', message('error', '无法识别操作员：' + e.message),
      h('p.hint', { text: '请确认已在本浏览器中安装本人的操作员证书（由县委组织部干部监督组发放），然后刷新页面。' })));
    return;
  }
  me = identity(w);
  if (!HOME[me.role]) {
    replace(main, h('div.view', message('error', '汇总平台未给本操作员分配可用的角色（' + me.role + '）。')));
    return;
  }
  renderWho();
  window.addEventListener('hashchange', route);
  window.addEventListener('beforeprint', refreshPrintStamp);
  route();
}

start();
