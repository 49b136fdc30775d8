// One filing: its revisions side by side with what changed marked, the
// receipt and timeliness, the review history, the supplement requests with
// their due dates and the unit's answers; and the group's decisions.

import { h, clear, append, input, button, link } from '../dom.js';
import { get, post } from '../api.js';
import { word, REVIEW_ACTIONS, OBLIGATION_STATES, actorParts } from '../words.js';
import { filingView, dateTime, timeliness, longDate, fileSize } from '../format.js';
import { title, table, errorBox, loading, message, facts, badge, busy, section, setPrint } from '../ui.js';

// A message to show once after the page is drawn again (after a decision).
let flash = null;

// The rows of the side-by-side table: label and how to read the value.
const FIELDS = [
  ['报送阶段', (v) => v.stageName, true],
  ['问题类别', (v) => v.categoryName, true],
  ['姓名', (v) => v.name, true],
  ['公民身份号码', (v) => v.idNumber, true],
  ['工作单位', (v) => v.workUnit, true],
  ['职务', (v) => v.post, true],
  ['职级', (v) => v.rankName, true],
  ['知悉日期', (v) => v.learnedOn, true],
  ['简要情况', (v) => v.summary, true],
  ['知悉范围', (v) => v.scopeName, true],
  ['案件编号', (v) => v.caseRef, true],
  ['回执编号', (v) => v.receipt, false],
  ['接收时间', (v) => dateTime(v.receivedAt, true), false],
];

function revisionLabel(v, i) {
  if (i === 0 && v.revision <= 1) return '第 1 次报送';
  return '第 ' + v.revision + ' 次报送（修改）';
}

// One revision: the fields two by two, the summary across.
function singleTable(v) {
  const t = h('table.grid.fields');
  const tb = h('tbody');
  const pairs = FIELDS.filter((f) => f[0] !== '简要情况' && f[2]);
  for (let i = 0; i < pairs.length; i += 2) {
    const tr = h('tr');
    for (const [label, read] of pairs.slice(i, i + 2)) {
      const val = read(v);
      tr.appendChild(h('th.c-field', { attrs: { scope: 'row' }, text: label }));
      tr.appendChild(h('td', { text: val === '' ? '—' : val }));
    }
    if (tr.children.length < 4) tr.lastChild.setAttribute('colspan', '3');
    tb.appendChild(tr);
  }
  tb.appendChild(h('tr', h('th.c-field', { attrs: { scope: 'row' }, text: '简要情况' }),
    h('td.c-summary', { attrs: { colspan: '3' }, text: v.summary || '（未附简要情况）' })));
  t.appendChild(tb);
  return h('div.table-wrap', t);
}

function revisionsTable(revs) {
  const t = h('table.grid.revisions');
  const head = h('tr', h('th.c-field', { text: '项目' }));
  revs.forEach((v, i) => head.appendChild(h('th', { text: revisionLabel(v, i) })));
  t.appendChild(h('thead', head));
  const tb = h('tbody');
  for (const [label, read, compare] of FIELDS) {
    const tr = h('tr', h('th.c-field', { attrs: { scope: 'row' }, text: label }));
    revs.forEach((v, i) => {
      const val = read(v);
      const changed = compare && i > 0 && val !== read(revs[i - 1]);
      const td = h('td', { cls: [changed ? 'changed' : null, label === '简要情况' ? 'c-summary' : null] });
      if (changed) td.appendChild(h('span.changed-mark', { text: '已修改', attrs: { title: '与上一次报送不同' } }));
      td.appendChild(document.createTextNode(val === '' ? '—' : val));
      tr.appendChild(td);
    });
    tb.appendChild(tr);
  }
  t.appendChild(tb);
  return h('div.table-wrap.revisions-wrap', { cls: revs.length > 2 ? 'many' : null }, t);
}

// The supplement request's state, as show answers it or as the board
// lists the obligation (when show does not say).
function requestState(r, board, answers) {
  let state = r.state || '';
  let days = r.overdue_days;
  let due = r.due_on || '';
  const ob = board && board.get(r.obligation);
  // An answer's receipt carries the request's due date and its timeliness.
  const a = answers && answers[0];
  if (!state && a) {
    state = 'answered';
    days = a.onTime ? 0 : a.lateDays;
  }
  if (!due && a) due = a.dueOn;
  if (!state && ob) {
    state = ob.state;
    days = ob.overdue_workdays;
  }
  if (!due && ob) due = ob.due_on;
  if (!state && board) state = 'closed';
  return { state, days: Number(days || 0), due, left: ob ? ob.workdays_left : undefined };
}

function stateCell(s) {
  if (s.state === 'overdue') return h('span.late', { text: '逾期未报 ' + s.days + ' 个工作日' });
  if (s.state === 'open') return h('span', { text: '尚未到期' + (s.left !== undefined ? '（还有 ' + s.left + ' 个工作日）' : '') });
  if (s.state === 'answered') return h('span.ok', { text: s.days ? '已答复（逾期 ' + s.days + ' 个工作日）' : '已按时答复' });
  if (s.state === 'closed') return h('span', { text: '已办结' });
  return h('span', { text: word(OBLIGATION_STATES, s.state) || '—' });
}

async function boardFor(unit, reviews) {
  if (!reviews.some((r) => r.obligation && !r.due_on)) return null;
  try {
    const b = await get('overdue', { unit, limit: '100000' });
    const d = b.data || b;
    const m = new Map();
    for (const o of d.open_obligations || []) m.set(o.obligation, o);
    return m;
  } catch (e) {
    return null;
  }
}

function decisions(ctx, main, redraw) {
  const out = h('div.decision-result');
  const accept = button('接收', async () => {
    busy(accept, true, '正在提交……');
    try {
      await post('review', { id: main.receipt || main.filingId, action: 'accept' });
      flash = message('ok', '已接收（已审核）：回执编号 ' + main.receipt + '。');
      redraw();
    } catch (e) {
      busy(accept, false);
      clear(out).appendChild(errorBox(e));
    }
  }, 'primary');

  const noteText = h('textarea', { name: 'note', rows: 2, attrs: { maxlength: '1000', placeholder: '备注内容' } });
  const noteBtn = button('备注', async () => {
    const text = noteText.value.trim();
    if (!text) {
      clear(out).appendChild(message('error', '请填写备注内容。'));
      noteText.focus();
      return;
    }
    busy(noteBtn, true, '正在提交……');
    try {
      await post('review', { id: main.receipt || main.filingId, action: 'note', text });
      flash = message('ok', '已备注：' + text);
      redraw();
    } catch (e) {
      busy(noteBtn, false);
      clear(out).appendChild(errorBox(e));
    }
  });

  const supText = h('textarea', { name: 'supplement', rows: 3, attrs: { maxlength: '1000', placeholder: '请写明需要补充的材料' } });
  const due = input('due', 'number', '5', { min: '1', max: '60', step: '1', 'aria-label': '报送期限（工作日）' });
  const supBtn = button('要求补充材料', async () => {
    const text = supText.value.trim();
    const n = Number(due.value);
    if (!text) {
      clear(out).appendChild(message('error', '请写明需要补充的材料。'));
      supText.focus();
      return;
    }
    if (!Number.isInteger(n) || n < 1 || n > 60) {
      clear(out).appendChild(message('error', '报送期限须为 1 至 60 个工作日。'));
      due.focus();
      return;
    }
    busy(supBtn, true, '正在提交……');
    try {
      const r = await post('review', { id: main.receipt || main.filingId, action: 'supplement', text, due: String(n) });
      const rv = (r.reviews && r.reviews[0]) || {};
      const ob = r.obligation || rv.obligation || (r.data && r.data.obligation) || '';
      flash = message('ok', '已通知' + main.unitName + '补充材料' + (ob ? '（通知编号 ' + ob + '）' : '') +
        '，须在 ' + n + ' 个工作日内报送' + (rv.due_on ? '（' + longDate(rv.due_on) + '前）' : '') + '。');
      redraw();
    } catch (e) {
      busy(supBtn, false);
      clear(out).appendChild(errorBox(e));
    }
  });

  const s = section('审核处理',
    h('div.decisions.no-print',
      h('div.decision', h('div.decision-head', { text: '接收' }),
        h('p.hint', { text: '材料齐全，予以接收，记为已审核。' }), accept),
      h('div.decision', h('div.decision-head', { text: '备注' }), noteText, noteBtn),
      h('div.decision', h('div.decision-head', { text: '要求补充材料' }), supText,
        h('div.due-line', h('span', { text: '须在' }), due, h('span', { text: '个工作日内报送' }), supBtn))),
    out);
  s.classList.add('no-print');
  return s;
}

export async function render(ctx) {
  const view = ctx.view;
  const id = ctx.arg;
  if (!id) {
    view.appendChild(message('error', '未指定回执编号。'));
    return;
  }
  view.appendChild(h('div.back.no-print',
    h('a', { href: '#', text: '← 返回上一页', on: { click: (e) => { e.preventDefault(); history.back(); } } }),
    button('打印', () => window.print())));
  const body = h('div');
  view.appendChild(body);
  body.appendChild(loading());
  let reply;
  try {
    reply = await get('show', { id });
  } catch (e) {
    clear(body).appendChild(errorBox(e));
    return;
  }
  if (!ctx.alive()) return;
  const all = (reply.filings || []).map(filingView);
  if (!all.length) {
    clear(body).appendChild(message('error', '未找到回执编号为 ' + id + ' 的报备事项。'));
    return;
  }
  const main = all.find((v) => v.receipt === id) || all.find((v) => v.filingId === id) || all[0];
  const revs = all.filter((v) => v.filingId === main.filingId).sort((a, b) => a.revision - b.revision);
  const others = all.filter((v) => v.filingId !== main.filingId);
  const first = revs[0] || main;
  const latest = revs[revs.length - 1] || main;
  const reviews = reply.reviews || [];
  const board = await boardFor(main.unit, reviews);
  if (!ctx.alive()) return;

  clear(body);
  setPrint('报备事项（回执编号 ' + main.receipt + '）');
  if (flash) {
    body.appendChild(flash);
    flash = null;
  }
  body.appendChild(title(latest.name + ' · ' + latest.categoryName,
    latest.unitName + ' 报送 · ' + latest.stageName + ' · 回执编号 ' + main.receipt));


  body.appendChild(section('回执与时限', facts([
    ['回执编号', main.receipt],
    ['报送单位', main.unitName],
    [revs.length > 1 ? '首次接收时间' : '接收时间', dateTime(first.receivedAt, true)],
    ['报送期限', first.dueOn ? first.dueOn + (first.provisional ? '（暂定）' : '') : ''],
    ['时效', first.dueOn ? (first.onTime ? h('span.ok', { text: '按时' }) : h('span.late', { text: timeliness(first) })) : ''],
    ['审核状态', badge(latest.reviewName, latest.review ? (latest.review === 'supplement' ? 'warn' : 'done') : 'new')],
    ['案件编号', main.caseRef],
    ['报送次数', revs.length + ' 次' + (revs.length > 1 ? '（含修改）' : '')],
  ], 'facts-4')));

  body.appendChild(revs.length > 1
    ? section('历次报送内容（共 ' + revs.length + ' 次，已修改的项目已标出）', revisionsTable(revs))
    : section('报送内容', singleTable(revs[0] || main)));

  // The documents each revision (and each answer) carries: downloaded as
  // they were filed, under their own names, their hashes to compare.
  const carrying = all.filter((v) => v.attachments.length);
  if (carrying.length) {
    const rows = [];
    for (const v of carrying)
      for (const a of v.attachments) rows.push({ v, a });
    body.appendChild(section('附件（书面材料，共 ' + rows.length + ' 份）', table([
      { head: '回执编号', cls: 'c-receipt', cell: (x) => x.v.receipt },
      { head: '序号', cls: 'c-n', cell: (x) => String(x.a.n) },
      { head: '文件名', cell: (x) => h('a.attachment.filename', { href: x.a.href, text: x.a.name, attrs: { download: x.a.name } }) },
      { head: '类型', cell: (x) => x.a.typeName },
      { head: '大小', cls: 'c-size', cell: (x) => fileSize(x.a.size) },
      { head: '校验值', cls: 'c-hash', cell: (x) => h('code', { text: x.a.hash.slice(0, 16) + '…', title: x.a.hash }) },
    ], rows, { cls: 'attachments' })));
  }

  // Supplement requests and the answers to them.
  const requests = reviews.filter((r) => r.obligation);
  if (requests.length) {
    const wrap = h('div');
    for (const r of requests) {
      const answers = others.filter((v) => v.answers === r.obligation);
      const s = requestState(r, board, answers);
      wrap.appendChild(h('div.request',
        facts([
          ['通知编号', r.obligation],
          ['通知时间', dateTime(r.at)],
          ['要求补充', r.text || ''],
          ['报送期限', s.due || ''],
          ['办理情况', stateCell(s)],
        ], 'facts-request'),
        answers.length
          ? table([
            { head: '答复回执编号', cls: 'c-receipt', cell: (v) => v.receipt },
            { head: '接收时间', cls: 'c-time', cell: (v) => dateTime(v.receivedAt) },
            { head: '补充内容', cell: (v) => v.summary },
          ], answers, { cls: 'answers' })
          : (s.state === 'open' || s.state === 'overdue' ? h('p.hint', { text: '成员单位尚未答复。' }) : null)));
    }
    body.appendChild(section('补充材料通知', wrap));
  }
  const unanswered = others.filter((v) => !requests.some((r) => r.obligation === v.answers));
  if (unanswered.length) {
    body.appendChild(section('相关报送', table([
      { head: '回执编号', cls: 'c-receipt', cell: (v) => link(ctx.href('filing', v.receipt), v.receipt) },
      { head: '阶段', cell: (v) => v.stageName },
      { head: '接收时间', cls: 'c-time', cell: (v) => dateTime(v.receivedAt) },
      { head: '内容', cell: (v) => v.summary },
    ], unanswered)));
  }

  body.appendChild(section('审核记录', table([
    { head: '时间', cls: 'c-time', cell: (r) => dateTime(r.at) },
    { head: '操作人', cls: 'c-actor', cell: (r) => actorParts(r.actor).name },
    { head: '审核处理', cls: 'c-action', cell: (r) => word(REVIEW_ACTIONS, r.action) },
    { head: '内容', cell: (r) => r.text || '' },
    { head: '通知编号', cls: 'c-ob', cell: (r) => r.obligation || '' },
  ], reviews, { empty: '尚未审核。' })));

  const canReview = ctx.me.role === 'supervisor' || ctx.me.role === 'convener';
  if (canReview) body.appendChild(decisions(ctx, main, () => ctx.go({}, ctx.arg)));
}
