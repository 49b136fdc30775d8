// 待审核: the supervision group's inbox (filings status=unreviewed, newest
// first), with filters, paging, and accepting or noting a selection.

import { h, clear, append, field, select, input, button, link } from '../dom.js';
import { get, post, total } from '../api.js';
import { UNITS, RANK_FILTER } from '../words.js';
import { filingView, dateTime, timeliness } from '../format.js';
import { title, pager, table, errorBox, loading, message, busy, badge, section } from '../ui.js';

const STATUS = [
  ['unreviewed', '未审核'],
  ['accepted', '已审核'],
  ['noted', '已备注'],
  ['supplement', '已要求补充材料'],
  ['all', '全部'],
];

export function filterState(params, defaults) {
  const g = (k) => params.get(k) || '';
  return {
    unit: g('unit'),
    category: g('category'),
    since: g('since'),
    until: g('until'),
    rank: g('rank'),
    late: g('late') === '1',
    status: g('status') || defaults.status,
    limit: Math.min(100, Math.max(1, Number(g('limit')) || 20)),
    offset: Math.max(0, Number(g('offset')) || 0),
  };
}

// The filter form; apply(state) gets the new filters (offset back to 0).
export function filterForm(st, opts, apply) {
  const form = h('form.filters.no-print', { attrs: { role: 'search' } });
  const f = {};
  if (opts.unit) {
    f.unit = select('unit', [['', '全部成员单位']].concat(UNITS), st.unit);
    form.appendChild(field('报送单位', f.unit));
  }
  f.category = input('category', 'text', st.category, { placeholder: '名称或其中几个字', maxlength: '40' });
  form.appendChild(field('问题类别', f.category, { cls: 'field-wide' }));
  f.since = input('since', 'date', st.since);
  f.until = input('until', 'date', st.until);
  form.appendChild(h('div.field.field-range', h('span.field-label', { text: '接收日期' }),
    h('span.range', f.since, h('span.range-sep', { text: '至' }), f.until)));
  f.rank = select('rank', RANK_FILTER, st.rank);
  form.appendChild(field('职级', f.rank));
  if (opts.status) {
    f.status = select('status', STATUS, st.status);
    form.appendChild(field('审核状态', f.status));
  }
  f.late = input('late', 'checkbox');
  f.late.checked = st.late;
  form.appendChild(h('label.check', f.late, h('span', { text: '仅逾期报送' })));
  const go = h('button.primary', { type: 'submit', text: '查询' });
  const reset = button('清除条件', () => apply({
    unit: '', category: '', since: '', until: '', rank: '', late: '', status: opts.defaultStatus || '', limit: String(st.limit),
  }));
  form.appendChild(h('div.filter-actions', go, reset));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply({
      unit: f.unit ? f.unit.value : '',
      category: f.category.value.trim(),
      since: f.since.value,
      until: f.until.value,
      rank: f.rank.value,
      late: f.late.checked ? '1' : '',
      status: f.status ? f.status.value : '',
      limit: String(st.limit),
    });
  });
  return form;
}

export function hashParams(st) {
  return {
    unit: st.unit, category: st.category, since: st.since, until: st.until, rank: st.rank,
    late: st.late ? '1' : '', status: st.status, limit: st.limit === 20 ? '' : st.limit,
    offset: st.offset || '',
  };
}

export function apiParams(st) {
  return {
    unit: st.unit || undefined,
    category: st.category || undefined,
    since: st.since || undefined,
    until: st.until || undefined,
    rank: st.rank || undefined,
    late: st.late ? '1' : undefined,
    status: st.status && st.status !== 'all' ? st.status : undefined,
    order: 'newest',
    limit: String(st.limit),
    offset: String(st.offset),
  };
}

function reviewKind(v) {
  if (!v.review) return 'new';
  if (v.review === 'supplement') return 'warn';
  return 'done';
}

// The columns of a listing of filings; select: the checkbox column.
export function filingColumns(ctx, opts) {
  const cols = [];
  if (opts.select) cols.push(opts.select);
  cols.push({ head: '回执编号', cls: 'c-receipt', cell: (v) => link(ctx.href('filing', v.receipt || v.filingId), v.receipt || '（无）') });
  if (opts.unit !== false) cols.push({ head: '报送单位', cls: 'c-unit', cell: (v) => v.unitName });
  cols.push({
    head: '干部', cls: 'c-cadre',
    cell: (v) => [h('div.cadre-name', { text: v.name }), h('div.cadre-post', { text: [v.workUnit, v.post].filter(Boolean).join(' ') })],
  });
  cols.push({ head: '职级', cls: 'c-rank', cell: (v) => v.rankName });
  cols.push({ head: '问题类别', cls: 'c-cat', cell: (v) => v.categoryName });
  cols.push({ head: '阶段', cls: 'c-stage', cell: (v) => v.stageName + (v.revision > 1 ? '（第' + v.revision + '版）' : '') });
  cols.push({ head: '知悉日期', cls: 'c-date', cell: (v) => v.learnedOn });
  cols.push({ head: '接收时间', cls: 'c-time', cell: (v) => dateTime(v.receivedAt) });
  cols.push({ head: '时效', cls: 'c-late', cell: (v) => (v.onTime ? h('span.ok', { text: '按时' }) : h('span.late', { text: timeliness(v) })) });
  cols.push({ head: '审核状态', cls: 'c-state', cell: (v) => badge(v.reviewName, reviewKind(v)) });
  return cols;
}

export async function render(ctx) {
  const canReview = ctx.me.role === 'supervisor' || ctx.me.role === 'convener';
  const defaultStatus = ctx.me.role === 'supervisor' ? 'unreviewed' : 'all';
  const st = filterState(ctx.params, { status: defaultStatus });
  const view = ctx.view;
  const heading = st.status === 'unreviewed' ? '待审核报备事项' : '报备事项';
  view.appendChild(title(heading, '成员单位报送的报备事项，按接收时间从新到旧排列'));
  view.appendChild(filterForm(st, { unit: true, status: true, defaultStatus },
    (p) => ctx.go(hashParams(Object.assign({}, st, p, { offset: 0, limit: Number(p.limit) || st.limit, late: p.late === '1' })))));
  const body = h('div');
  view.appendChild(body);
  body.appendChild(loading());

  let reply;
  try {
    reply = await get('filings', apiParams(st));
  } catch (e) {
    clear(body).appendChild(errorBox(e));
    return;
  }
  if (!ctx.alive()) return;
  const rows = (reply.filings || []).map(filingView);
  const count = total(reply, rows);
  clear(body);

  const selected = new Set();
  const results = h('div.batch-results');
  const countLine = h('span.sel-count', { text: '未选择' });
  const boxes = [];
  const updateCount = () => {
    countLine.textContent = selected.size ? '已选 ' + selected.size + ' 件' : '未选择';
    for (const b of actionButtons) b.disabled = selected.size === 0;
  };
  const actionButtons = [];

  let selCol = null;
  if (canReview) {
    const all = input('all', 'checkbox', null, { 'aria-label': '选择本页全部' });
    all.addEventListener('change', () => {
      for (const b of boxes) {
        b.checked = all.checked;
        if (all.checked) selected.add(b.value); else selected.delete(b.value);
      }
      updateCount();
    });
    selCol = {
      head: all, cls: 'c-sel',
      cell: (v) => {
        const b = input('sel', 'checkbox', v.receipt, { 'aria-label': '选择 ' + v.receipt });
        b.addEventListener('change', () => {
          if (b.checked) selected.add(b.value); else selected.delete(b.value);
          all.checked = boxes.every((x) => x.checked);
          updateCount();
        });
        boxes.push(b);
        return b;
      },
    };
  }

  const pg = () => pager(count, st.offset, st.limit, (off) => ctx.go(hashParams(Object.assign({}, st, { offset: off }))), '件',
    { choices: [20, 50, 100], onSize: (n) => ctx.go(hashParams(Object.assign({}, st, { offset: 0, limit: n }))) });
  body.appendChild(pg());

  if (canReview && rows.length) {
    const note = input('note', 'text', '', { placeholder: '备注内容或需补充的材料', maxlength: '500' });
    const due = input('due', 'number', '5', { min: '1', max: '60', 'aria-label': '补充材料报送期限（工作日）' });
    const accept = button('接收所选', () => run('accept'), 'primary');
    const noteBtn = button('备注所选', () => run('note'));
    const suppBtn = button('要求补充所选', () => run('supplement'));
    actionButtons.push(accept, noteBtn, suppBtn);
    const bar = h('div.batch-bar.no-print', countLine, accept, h('span.batch-note', note, noteBtn),
      h('span.batch-due', '须在', due, '个工作日内报送', suppBtn));
    body.appendChild(bar);

    // Each selected filing gets its own POST /api/review; the line says how
    // far it got and each filing's result stays listed.
    const run = async (action) => {
      const ids = Array.from(selected);
      if (!ids.length) return;
      const text = note.value.trim();
      if (action !== 'accept' && !text) {
        clear(results).appendChild(message('error', action === 'note' ? '请先填写备注内容。' : '请先写明需要补充的材料。'));
        note.focus();
        return;
      }
      const days = Number(due.value);
      if (action === 'supplement' && !(Number.isInteger(days) && days >= 1 && days <= 60)) {
        clear(results).appendChild(message('error', '补充材料的报送期限须为 1 至 60 个工作日。'));
        due.focus();
        return;
      }
      for (const b of actionButtons) b.disabled = true;
      const verb = action === 'accept' ? '接收' : action === 'note' ? '备注' : '要求补充';
      const progress = h('div.progress', { attrs: { role: 'status' } });
      const list = h('ol.result-list');
      clear(results);
      append(results, [progress, list]);
      let ok = 0;
      let bad = 0;
      for (let i = 0; i < ids.length; i++) {
        progress.textContent = '正在' + verb + '：第 ' + (i + 1) + ' 件，共 ' + ids.length + ' 件……';
        const id = ids[i];
        try {
          const r = await post('review', action === 'accept' ? { id, action }
            : action === 'note' ? { id, action, text } : { id, action, text, due: String(days) });
          ok++;
          // A supplement request names its obligation (OB-N) in the answer's text.
          const ob = action === 'supplement' && r && r.text ? '（通知编号 ' + r.text + '）' : '';
          list.appendChild(h('li.ok', { text: id + '：已' + verb + ob }));
        } catch (e) {
          bad++;
          list.appendChild(h('li.late', { text: id + '：未成功——' + e.message }));
        }
      }
      progress.textContent = verb + '完成：共 ' + ids.length + ' 件，成功 ' + ok + ' 件' + (bad ? '，未成功 ' + bad + ' 件' : '') + '。';
      progress.classList.add(bad ? 'late' : 'ok');
      results.appendChild(button('刷新列表', () => ctx.go(hashParams(st)), 'primary'));
      updateCount();
    };
    updateCount();
  }
  body.appendChild(results);

  body.appendChild(table(filingColumns(ctx, { select: selCol }), rows, {
    cls: 'filings',
    empty: st.status === 'unreviewed' ? '没有待审核的报备事项。' : '没有符合条件的报备事项。',
  }));
  if (rows.length > 8) body.appendChild(pg());
}
