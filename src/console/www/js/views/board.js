// 督办看板: the deadline board (GET /api/overdue): open obligations by due
// date with the overdue ones in red, the units' on-time rates, the late
// filings, and the convener's duty warnings.  Printable as a 督办 list.

import { h, clear, field, select, input, button, link } from '../dom.js';
import { get } from '../api.js';
import { UNITS, unitName, word, OBLIGATION_KINDS, pageSentence } from '../words.js';
import { dateTime, percent, longDate } from '../format.js';
import { title, pager, table, errorBox, loading, message, section, setPrint } from '../ui.js';

const PAGE = 20;

// How many a list of the board holds in all: the hub's total when it gives
// one, else the list's length.
export function listTotal(d, key) {
  const cands = [
    d.totals && d.totals[key],
    d[key + '_total'],
    d['total_' + key],
    d.counts && d.counts[key],
  ];
  for (const c of cands) if (typeof c === 'number') return c;
  return (d[key] || []).length;
}

function dueCell(o) {
  if (o.state === 'overdue')
    return h('span.late.strong', { text: '逾期 ' + (o.overdue_workdays || 0) + ' 个工作日' });
  if (o.workdays_left === 0) return h('span.warn', { text: '今日到期' });
  if (o.workdays_left !== undefined) return h('span', { text: '还有 ' + o.workdays_left + ' 个工作日' });
  return h('span', { text: '尚未到期' });
}

function obligationColumns(ctx, withLink) {
  const cols = [
    { head: '序号', cls: 'c-no', cell: (o) => String(o.__no) },
    { head: '成员单位', cls: 'c-unit', cell: (o) => unitName(o.unit, o.unit_name) },
    { head: '干部', cls: 'c-name', cell: (o) => o.cadre_name || o.name || '' },
    { head: '待报事项', cls: 'c-kind', cell: (o) => word(OBLIGATION_KINDS, o.kind) },
    { head: '案件编号', cls: 'c-case', cell: (o) => o.case_ref || '' },
    { head: '通知编号', cls: 'c-ob', cell: (o) => o.obligation || '' },
    { head: '报送期限', cls: 'c-date', cell: (o) => (o.due_on || '') + (o.provisional ? '（暂定）' : '') },
    { head: '办理情况', cls: 'c-due', cell: dueCell },
  ];
  if (withLink)
    cols.push({
      head: '', cls: 'c-go no-print',
      cell: (o) => (o.receipt_no || o.filing_id ? link(ctx.href('filing', o.receipt_no || o.filing_id), '查看报备') : ''),
    });
  return cols;
}

function timelinessTable(rows) {
  return table([
    { head: '成员单位', cls: 'c-unit', cell: (t) => unitName(t.unit, t.unit_name) },
    { head: '报备事项', cls: 'c-num', cell: (t) => String(t.matters || 0) },
    { head: '按时报送', cls: 'c-num', cell: (t) => String(t.on_time || 0) },
    { head: '逾期报送', cls: 'c-num', cell: (t) => (t.late ? h('span.late', { text: String(t.late) }) : '0') },
    { head: '逾期未报', cls: 'c-num', cell: (t) => (t.overdue_without_report ? h('span.late.strong', { text: String(t.overdue_without_report) }) : '0') },
    { head: '尚未到期', cls: 'c-num', cell: (t) => String(t.pending || 0) },
    { head: '按时报送率', cls: 'c-num', cell: (t) => h('span', { cls: rateClass(t.on_time_rate), text: percent(t.on_time_rate) }) },
    { head: '未办结事项', cls: 'c-num', cell: (t) => String(t.open_obligations || 0) },
    { head: '其中逾期', cls: 'c-num', cell: (t) => (t.overdue_obligations ? h('span.late.strong', { text: String(t.overdue_obligations) }) : '0') },
  ], rows, { cls: 'timeliness', empty: '本期间没有报备事项。' });
}

function rateClass(r) {
  if (r === null || r === undefined) return null;
  if (r >= 0.95) return 'ok';
  if (r < 0.8) return 'late';
  return 'warn';
}

export async function render(ctx) {
  const view = ctx.view;
  const member = ctx.me.role === 'member';
  const p = ctx.params;
  const st = {
    unit: member ? '' : p.get('unit') || '',
    since: p.get('since') || '',
    until: p.get('until') || '',
    off: Math.max(0, Number(p.get('off')) || 0),
    loff: Math.max(0, Number(p.get('loff')) || 0),
  };
  const go = (o) => ctx.go(Object.assign({}, st, o));
  view.appendChild(title(member ? ctx.me.unitName + ' 督办事项' : '督办看板',
    '未办结的报送事项按报送期限排列，逾期的以红色标出'));
  setPrint(member ? ctx.me.unitName + '督办事项清单' : '干部监督联席会议督办事项清单');

  const form = h('form.filters.no-print');
  let unitSel = null;
  if (!member) {
    unitSel = select('unit', [['', '全部成员单位']].concat(UNITS), st.unit);
    form.appendChild(field('成员单位', unitSel));
  }
  const since = input('since', 'date', st.since);
  const until = input('until', 'date', st.until);
  form.appendChild(h('div.field.field-range', h('span.field-label', { text: '统计期间（接收）' }),
    h('span.range', since, h('span.range-sep', { text: '至' }), until)));
  form.appendChild(h('div.filter-actions', h('button.primary', { type: 'submit', text: '查询' }),
    button('打印督办清单', () => window.print())));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    go({ unit: unitSel ? unitSel.value : '', since: since.value, until: until.value, off: 0, loff: 0 });
  });
  view.appendChild(form);

  const body = h('div');
  view.appendChild(body);
  body.appendChild(loading());
  let reply;
  try {
    reply = await get('overdue', { unit: st.unit || undefined, since: st.since || undefined, until: st.until || undefined, limit: '100000' });
  } catch (e) {
    clear(body).appendChild(errorBox(e));
    return;
  }
  if (!ctx.alive()) return;
  const d = reply.data || reply;
  clear(body);

  body.appendChild(h('p.period', {
    text: '统计期间：' + longDate(d.since) + '至' + longDate(d.until) + '；截至' + longDate(d.today) +
      (st.unit ? '；成员单位：' + unitName(st.unit) : ''),
  }));

  // The convener's duties are not a unit's business.
  const warnings = member ? [] : d.meeting_warnings || [];
  if (warnings.length) {
    const w = h('div.warnings');
    for (const s of warnings) w.appendChild(message('warn', pageSentence(s)));
    if (ctx.me.role === 'convener')
      w.appendChild(h('p.no-print', link(ctx.href('meetings'), '前往安排联席会议')));
    body.appendChild(section('召集人履职提醒', w));
  }

  const obs = (d.open_obligations || []).map((o, i) => Object.assign({ __no: i + 1 }, o));
  const obTotal = listTotal(d, 'open_obligations');
  const overdueCount = obs.filter((o) => o.state === 'overdue').length;
  const obSection = section('未办结事项');
  if (overdueCount)
    obSection.firstChild.appendChild(h('span.badge.badge-warn.head-badge', { text: '逾期未报 ' + overdueCount + ' 项' }));
  obSection.appendChild(h('p.summary.print-only', {
    text: '共 ' + obTotal + ' 项，其中逾期未报 ' + overdueCount + ' 项。',
  }));
  if (obs.length < obTotal)
    obSection.appendChild(message('info', '共 ' + obTotal + ' 项，汇总平台本次列出 ' + obs.length + ' 项。'));
  const pageObs = obs.slice(st.off, st.off + PAGE);
  const screen = h('div.screen-only');
  screen.appendChild(pager(obs.length, st.off, PAGE, (off) => go({ off }), '项'));
  screen.appendChild(table(obligationColumns(ctx, true), pageObs, {
    cls: 'obligations', empty: '没有未办结的报送事项。',
    rowClass: (o) => (o.state === 'overdue' ? 'row-late' : null),
  }));
  obSection.appendChild(screen);
  // The printed list holds every open obligation, not one page.
  obSection.appendChild(h('div.print-only', table(obligationColumns(ctx, false), obs, {
    cls: 'obligations', empty: '没有未办结的报送事项。',
    rowClass: (o) => (o.state === 'overdue' ? 'row-late' : null),
  })));
  body.appendChild(obSection);

  body.appendChild(section(member ? '本单位按时报送情况' : '各成员单位按时报送情况', timelinessTable(d.timeliness || [])));

  const late = d.late_matters || [];
  const lateTotal = listTotal(d, 'late_matters');
  const lateSection = section('逾期报送的事项');
  lateSection.classList.add('no-print');
  lateSection.appendChild(pager(late.length, st.loff, PAGE, (loff) => go({ loff }), '件'));
  if (late.length < lateTotal)
    lateSection.appendChild(message('info', '共 ' + lateTotal + ' 件，汇总平台本次列出 ' + late.length + ' 件。'));
  // Categories by name only: where the board gives codes alone, the column
  // is left out (the receipt number leads to the filing).
  const named = late.every((m) => m.category_name || !m.category);
  lateSection.appendChild(table([
    { head: '回执编号', cls: 'c-receipt', cell: (m) => (m.receipt_no ? link(ctx.href('filing', m.receipt_no), m.receipt_no) : '') },
    { head: '成员单位', cls: 'c-unit', cell: (m) => unitName(m.unit, m.unit_name) },
    named ? { head: '问题类别', cls: 'c-cat', cell: (m) => m.category_name || '' } : null,
    { head: '案件编号', cls: 'c-case', cell: (m) => m.case_ref || '' },
    { head: '知悉日期', cls: 'c-date', cell: (m) => m.learned_on || '' },
    { head: '报送期限', cls: 'c-date', cell: (m) => m.due_on || '' },
    { head: '接收时间', cls: 'c-time', cell: (m) => dateTime(m.report_received_at) },
    { head: '逾期', cls: 'c-due', cell: (m) => h('span.late', { text: (m.late_workdays || 0) + ' 个工作日' }) },
  ].filter(Boolean), late.slice(st.loff, st.loff + PAGE), { empty: '没有逾期报送的事项。' }));
  body.appendChild(lateSection);
}
