// Pieces every view uses: messages, the pager, tables, the printed page's
// heading.

import { h, clear, append, button } from './dom.js';
import { printStamp } from './format.js';

// A message box: kind 'error' | 'ok' | 'info' | 'warn'.
export function message(kind, text, extra) {
  return h('div.msg', { cls: 'msg-' + kind, attrs: { role: kind === 'error' ? 'alert' : 'status' } },
    h('span.msg-text', { text }), extra || null);
}

export function errorBox(err) {
  return message('error', err && err.message ? err.message : String(err));
}

export function loading(text) {
  return h('div.loading', { text: text || '正在读取……' });
}

// The view's title line.
export function title(text, sub) {
  return h('div.view-head', h('h1', { text }), sub ? h('div.view-sub', { text: sub }) : null);
}

export function section(heading, ...children) {
  return h('section.panel', heading ? h('h2', { text: heading }) : null, ...children);
}

// "共 N 件，第 x–y 件" and page buttons.  onPage(offset) is called with the
// new offset.  unit: 件 / 项 / 条.
export function pager(totalCount, offset, limit, onPage, unit, sizes) {
  unit = unit || '件';
  const box = h('div.pager');
  const pages = Math.max(1, Math.ceil(totalCount / limit));
  const page = Math.floor(offset / limit) + 1;
  const first = totalCount === 0 ? 0 : offset + 1;
  const last = Math.min(totalCount, offset + limit);
  box.appendChild(h('span.pager-count', {
    text: totalCount === 0 ? '共 0 ' + unit : '共 ' + totalCount + ' ' + unit + '，第 ' + first + '–' + last + ' ' + unit,
  }));
  if (pages > 1) {
    const nav = h('span.pager-pages');
    const go = (p) => () => onPage((p - 1) * limit);
    const btn = (label, p, disabled, current, aria) => {
      const b = button(label, go(p), current ? 'page-current' : 'page');
      b.disabled = !!disabled || !!current;
      if (aria) b.setAttribute('aria-label', aria);
      if (current) b.setAttribute('aria-current', 'page');
      return b;
    };
    nav.appendChild(btn('上一页', page - 1, page <= 1, false));
    const shown = new Set([1, pages]);
    for (let p = page - 2; p <= page + 2; p++) if (p >= 1 && p <= pages) shown.add(p);
    const list = Array.from(shown).sort((a, b) => a - b);
    let prev = 0;
    for (const p of list) {
      if (p - prev > 1) nav.appendChild(h('span.pager-gap', { text: '…' }));
      nav.appendChild(btn(String(p), p, false, p === page, '第 ' + p + ' 页'));
      prev = p;
    }
    nav.appendChild(btn('下一页', page + 1, page >= pages, false));
    box.appendChild(nav);
    box.appendChild(h('span.pager-of', { text: '共 ' + pages + ' 页' }));
  }
  // sizes: {choices: [n, ...], onSize(n)}: the page size, beside the pages.
  if (sizes) {
    const s = h('select.page-size', { name: 'limit', attrs: { 'aria-label': '每页条数' } });
    for (const n of sizes.choices) {
      const o = h('option', { value: String(n), text: '每页 ' + n + ' ' + unit });
      if (n === limit) o.selected = true;
      s.appendChild(o);
    }
    s.addEventListener('change', () => sizes.onSize(Number(s.value)));
    box.appendChild(s);
  }
  return box;
}

// A table: cols [{head, cls, cell: (row) => node|string}], rows.
export function table(cols, rows, opts) {
  opts = opts || {};
  const t = h('table.grid', { cls: opts.cls || null });
  if (opts.caption) t.appendChild(h('caption', { text: opts.caption }));
  const tr = h('tr');
  for (const c of cols) tr.appendChild(h('th', { cls: c.cls || null, text: typeof c.head === 'string' ? c.head : null }, typeof c.head === 'string' ? null : c.head));
  t.appendChild(h('thead', tr));
  const tb = h('tbody');
  for (const r of rows) {
    const row = h('tr', { cls: opts.rowClass ? opts.rowClass(r) : null });
    for (const c of cols) {
      const v = c.cell(r);
      const td = h('td', { cls: c.cls || null });
      append(td, [v]);
      row.appendChild(td);
    }
    tb.appendChild(row);
  }
  t.appendChild(tb);
  if (!rows.length && opts.empty)
    tb.appendChild(h('tr.empty', h('td', { attrs: { colspan: cols.length }, text: opts.empty })));
  return h('div.table-wrap', t);
}

// The heading a printed page carries: the title and the time printed.
export function setPrint(titleText) {
  const t = document.getElementById('print-title');
  const m = document.getElementById('print-meta');
  if (t) t.textContent = titleText || '干部监督联席会议信息平台';
  if (m) m.textContent = '打印时间：' + printStamp();
}

export function refreshPrintStamp() {
  const m = document.getElementById('print-meta');
  if (m) m.textContent = '打印时间：' + printStamp();
}

// A two-column list of labelled values: [[label, value], ...]
export function facts(pairs, cls) {
  const dl = h('dl.facts', { cls: cls || null });
  for (const [k, v] of pairs) {
    if (v === null || v === undefined) continue;
    dl.appendChild(h('div.fact', h('dt', { text: k }), append(h('dd'), [v === '' ? '—' : v])));
  }
  return dl;
}

export function badge(text, kind) {
  return h('span.badge', { cls: kind ? 'badge-' + kind : null, text });
}

export function busy(btn, on, text) {
  if (on) {
    btn.dataset.label = btn.textContent;
    btn.textContent = text || '请稍候……';
    btn.disabled = true;
  } else {
    if (btn.dataset.label) btn.textContent = btn.dataset.label;
    btn.disabled = false;
  }
}

export function setContent(el, ...nodes) {
  clear(el);
  append(el, nodes);
}

// A table of rows the page already holds, paged in place: the pager says
// how many there are in all; nothing is cut without saying so.
export function pagedTable(cols, rows, opts, size, unit) {
  size = size || 20;
  const box = h('div.paged');
  const draw = (offset) => {
    clear(box);
    if (rows.length > size) box.appendChild(pager(rows.length, offset, size, draw, unit));
    box.appendChild(table(cols, rows.slice(offset, offset + size), opts));
  };
  draw(0);
  return box;
}
