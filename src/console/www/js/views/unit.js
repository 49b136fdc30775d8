// 本单位报备: a member unit's liaison sees its own unit's filings and
// receipts, what it still owes (open obligations and supplement requests)
// and its on-time rate.  The hub limits every answer to the unit.

import { h, clear, link } from '../dom.js';
import { get, total } from '../api.js';
import { unitName, word, OBLIGATION_KINDS } from '../words.js';
import { percent } from '../format.js';
import { title, pager, table, pagedTable, errorBox, loading, section } from '../ui.js';
import { filterState, filterForm, hashParams, apiParams, filingColumns } from './inbox.js';
import { filingView } from '../format.js';

function dueCell(o) {
  if (o.state === 'overdue')
    return h('span.late.strong', { text: '逾期 ' + (o.overdue_workdays || 0) + ' 个工作日' });
  if (o.workdays_left === 0) return h('span.warn', { text: '今日到期' });
  if (o.workdays_left !== undefined) return h('span', { text: '还有 ' + o.workdays_left + ' 个工作日' });
  return h('span', { text: '尚未到期' });
}

async function owed(ctx, box) {
  box.appendChild(loading());
  let reply;
  try {
    reply = await get('overdue', { limit: '100000' });
  } catch (e) {
    clear(box).appendChild(errorBox(e));
    return;
  }
  if (!ctx.alive()) return;
  const d = reply.data || reply;
  clear(box);
  const obs = d.open_obligations || [];
  const requests = obs.filter((o) => o.kind === 'supplement');
  const reports = obs.filter((o) => o.kind !== 'supplement');
  const cols = [
    { head: '待报事项', cls: 'c-kind', cell: (o) => word(OBLIGATION_KINDS, o.kind) },
    { head: '通知编号', cls: 'c-ob', cell: (o) => o.obligation || '' },
    { head: '案件编号', cls: 'c-case', cell: (o) => o.case_ref || '' },
    { head: '干部', cls: 'c-name', cell: (o) => o.cadre_name || o.name || '' },
    { head: '报送期限', cls: 'c-date', cell: (o) => o.due_on || '' },
    { head: '办理情况', cls: 'c-due', cell: dueCell },
    { head: '', cls: 'c-go', cell: (o) => (o.receipt_no || o.filing_id ? link(ctx.href('filing', o.receipt_no || o.filing_id), '查看') : '') },
  ];
  const rowClass = (o) => (o.state === 'overdue' ? 'row-late' : null);
  box.appendChild(section('补充材料通知（共 ' + requests.length + ' 项）',
    h('p.hint', { text: '干部监督组要求补充材料的事项。请在报送程序中按通知编号报送补充材料。' }),
    pagedTable(cols, requests, { cls: 'obligations', rowClass, empty: '没有待办的补充材料通知。' }, 20, '项')));
  box.appendChild(section('待报书面报告（共 ' + reports.length + ' 项）',
    h('p.hint', { text: '已报送简要报告、尚未报送书面报告的事项，须在知悉后5个工作日内书面报送。' }),
    pagedTable(cols, reports, { cls: 'obligations', rowClass, empty: '没有待报的书面报告。' }, 20, '项')));
  const mine = (d.timeliness || []).filter((t) => !ctx.me.unit || t.unit === ctx.me.unit);
  if (mine.length) {
    const t = mine[0];
    box.appendChild(section('本单位按时报送情况',
      h('p.summary', {
        text: '统计期间报备事项 ' + (t.matters || 0) + ' 件，按时报送 ' + (t.on_time || 0) + ' 件，逾期报送 ' +
          (t.late || 0) + ' 件，逾期未报 ' + (t.overdue_without_report || 0) + ' 件；按时报送率 ' + percent(t.on_time_rate) + '。',
      })));
  }
}

export async function render(ctx) {
  const view = ctx.view;
  const name = ctx.me.unitName || unitName(ctx.me.unit);
  const st = filterState(ctx.params, { status: 'all' });
  st.unit = '';
  view.appendChild(title(name + ' 报备情况', '本单位报送的事项、回执，以及待办的补充材料通知'));

  const owedBox = h('div');
  view.appendChild(owedBox);
  const pending = owed(ctx, owedBox);

  const s = section('本单位报备事项及回执');
  s.appendChild(filterForm(st, { unit: false, status: true, defaultStatus: 'all' },
    (p) => ctx.go(hashParams(Object.assign({}, st, p, { offset: 0, limit: Number(p.limit) || st.limit, late: p.late === '1' })))));
  const body = h('div');
  s.appendChild(body);
  view.appendChild(s);
  body.appendChild(loading());
  let reply;
  try {
    reply = await get('filings', apiParams(st));
  } catch (e) {
    clear(body).appendChild(errorBox(e));
    await pending;
    return;
  }
  if (!ctx.alive()) return;
  const rows = (reply.filings || []).map(filingView);
  const count = total(reply, rows);
  clear(body);
  const sizes = { choices: [20, 50, 100], onSize: (n) => ctx.go(hashParams(Object.assign({}, st, { offset: 0, limit: n }))) };
  body.appendChild(pager(count, st.offset, st.limit, (off) => ctx.go(hashParams(Object.assign({}, st, { offset: off }))), '件', sizes));
  body.appendChild(table(filingColumns(ctx, { unit: true }), rows, { cls: 'filings', empty: '没有符合条件的报备事项。' }));
  if (rows.length > 8)
    body.appendChild(pager(count, st.offset, st.limit, (off) => ctx.go(hashParams(Object.assign({}, st, { offset: off }))), '件'));
  await pending;
}
