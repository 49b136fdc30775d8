// 任前联审: the joint reviews before an appointment (review-request-list),
// one review's answers unit by unit for each candidate
// (review-request-show), and (supervisor, convener) opening one
// (review-request-create).  A unit that has not answered is 未答复, never 无.

import { h, clear, field, select, input, button, link } from '../dom.js';
import { get, post } from '../api.js';
import { UNITS, unitName, word, SCOPES, actorParts } from '../words.js';
import { title, pager, table, errorBox, loading, message, section, busy, facts, badge, setPrint } from '../ui.js';

const PAGE = 20;
let flash = null;

const CREATE_SCOPES = ['public', 'organs', 'leadership', 'specific'];

function reviewsOf(reply) {
  const d = reply.data;
  if (Array.isArray(d)) return d;
  if (d && Array.isArray(d.reviews)) return d.reviews;
  return [];
}

// The review's number, kept out of the page's words (it is a code).
function reqNo(id) {
  return h('code.req-no', { text: id || '' });
}

// "2026-11-29 18:40:12" → "2026-11-29 18:40"
function when(s) {
  return String(s || '').slice(0, 16);
}

function canCreate(ctx) {
  return ctx.me.role === 'supervisor' || ctx.me.role === 'convener';
}

// One candidate a line, fields by TAB or by commas (，、 too) → TAB lines.
export function candidateLines(text) {
  const out = [];
  for (const raw of String(text || '').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const f = line.indexOf('\t') >= 0 ? line.split('\t') : line.split(/[,，、]/);
    out.push(f.map((x) => x.trim()));
  }
  return out;
}

function createForm(ctx) {
  const name = input('title', 'text', '', { required: true, maxlength: '100', placeholder: '如：2026年11月拟提拔干部任前联审' });
  const all = h('input', { type: 'checkbox', name: 'all', checked: true });
  const boxes = UNITS.map(([code, label]) => ({
    code,
    box: h('input', { type: 'checkbox', name: 'unit', value: code, checked: true, disabled: true }),
    label,
  }));
  all.addEventListener('change', () => {
    for (const b of boxes) {
      b.box.disabled = all.checked;
      if (all.checked) b.box.checked = true;
    }
  });
  const units = h('fieldset.units-pick',
    h('legend', { text: '征求意见单位' }),
    h('label.check', all, h('span', { text: '全部成员单位' })),
    boxes.map((b) => h('label.check', b.box, h('span', { text: b.label }))));
  const due = input('due', 'number', '', { min: '1', max: '60', placeholder: '默认' });
  const scope = select('scope', CREATE_SCOPES.map((k) => [k, SCOPES[k]]), 'leadership');
  const cands = h('textarea', {
    name: 'candidates',
    attrs: { rows: '6', spellcheck: 'false', placeholder: '每行一人：姓名，公民身份号码，工作单位，现任职务，拟任职务（用逗号或制表符分隔）' },
  });
  const out = h('div');
  const submit = h('button.primary', { type: 'submit', text: '发起联审' });
  const form = h('form.form-stack.review-create',
    h('div.form-grid',
      field('联审名称', name, { cls: 'field-title' }),
      field('答复期限（工作日）', due),
      field('知悉范围', scope),
      h('div')),
    units,
    field('拟任人选', cands, { cls: 'field-candidates' }),
    h('p.hint', { text: '每行一名人选，依次填写姓名、公民身份号码、工作单位、现任职务、拟任职务，各项之间用逗号或制表符分隔（可直接从表格复制粘贴）。答复期限不填则按平台默认。' }),
    h('div.filter-actions', submit),
    out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(out);
    const t = name.value.trim();
    const lines = candidateLines(cands.value);
    const picked = all.checked ? 'all' : boxes.filter((b) => b.box.checked).map((b) => b.code).join(',');
    if (!t) {
      out.appendChild(message('error', '请填写联审名称。'));
      return;
    }
    if (!picked) {
      out.appendChild(message('error', '请至少选择一个征求意见单位。'));
      return;
    }
    if (!lines.length) {
      out.appendChild(message('error', '请填写至少一名拟任人选。'));
      return;
    }
    const bad = lines.findIndex((f) => f.length !== 5);
    if (bad >= 0) {
      out.appendChild(message('error', '第 ' + (bad + 1) + ' 行应有 5 项（姓名、公民身份号码、工作单位、现任职务、拟任职务），现有 ' + lines[bad].length + ' 项。'));
      return;
    }
    busy(submit, true, '正在提交……');
    try {
      const r = await post('review-request-create', {
        title: t,
        units: picked,
        due: due.value.trim() || undefined,
        scope: scope.value,
        candidates: lines.map((f) => f.join('\t')).join('\n'),
      });
      const id = (r.data && r.data.id) || (/REQ-\d+/.exec(r.text || '') || [])[0] || '';
      flash = message('ok', '已发起任前联审：' + t + '（' + lines.length + ' 名人选）。');
      ctx.go({}, id, 'reviews');
    } catch (err) {
      busy(submit, false);
      out.appendChild(errorBox(err));
    }
  });
  return form;
}

async function list(ctx) {
  const view = ctx.view;
  const off = Math.max(0, Number(ctx.params.get('off')) || 0);
  view.appendChild(title('任前联审', '拟任用、提拔干部前，征求各成员单位意见；各单位在期限内答复'));
  if (flash) {
    view.appendChild(flash);
    flash = null;
  }
  const body = h('div');
  view.appendChild(body);
  body.appendChild(loading());
  let reply;
  try {
    reply = await get('review-request-list', {});
  } catch (e) {
    clear(body).appendChild(errorBox(e));
    return;
  }
  if (!ctx.alive()) return;
  const rows = reviewsOf(reply);
  clear(body);
  const s = section(ctx.me.role === 'member' ? '征求本单位意见的联审' : '联审列表');
  s.appendChild(pager(rows.length, off, PAGE, (o) => ctx.go({ off: o }), '次'));
  s.appendChild(table([
    { head: '联审编号', cls: 'c-no', cell: (r) => h('a', { href: ctx.href('reviews', r.id) }, reqNo(r.id)) },
    { head: '联审名称', cls: 'c-mtitle', cell: (r) => link(ctx.href('reviews', r.id), r.title || '（未命名）') },
    { head: '发起时间', cls: 'c-time', cell: (r) => when(r.created_at) },
    { head: '答复期限', cls: 'c-date', cell: (r) => r.due_on || '' },
    { head: '人选', cls: 'c-num', cell: (r) => (r.candidates === undefined ? '' : r.candidates + ' 人') },
    { head: '未答复', cls: 'c-state', cell: (r) => (r.unanswered ? badge('未答复 ' + r.unanswered + ' 项', 'warn') : badge('已全部答复', 'done')) },
  ], rows.slice(off, off + PAGE), {
    cls: 'reviews',
    rowClass: (r) => (r.unanswered ? 'row-open' : null),
    empty: ctx.me.role === 'member' ? '尚无征求本单位意见的任前联审。' : '尚未发起任前联审。',
  }));
  body.appendChild(s);
  if (canCreate(ctx)) body.appendChild(section('发起任前联审', createForm(ctx)));
}

// One unit's answer in words, and its date and timeliness.
function answerCell(a) {
  const kind = a.answer || 'unanswered';
  if (kind === 'none') return h('span.answer.answer-none', { text: '无' });
  if (kind === 'holds')
    return h('span.answer.answer-holds', h('strong', { text: '有' }), a.text ? '：' + a.text : '');
  if (kind === 'checking')
    return h('span.answer.answer-checking', h('strong', { text: '核查中' }),
      a.expected_on ? '（预计 ' + a.expected_on + ' 答复）' : '', a.text ? '：' + a.text : '');
  return badge('未答复', 'warn');
}

function timeCell(a, due) {
  if ((a.answer || 'unanswered') === 'unanswered') {
    if (a.overdue) return h('span.late', { text: '已逾期 ' + (a.overdue_days || 0) + ' 个工作日' });
    return h('span.hint-inline', { text: '期限 ' + (due || '') + ' 前' });
  }
  const t = a.on_time ? h('span.ok', { text: '按时' }) : h('span.late', { text: '逾期 ' + (a.late_days || 0) + ' 个工作日' });
  return h('span', when(a.answered_at) + '，', t, a.revised_at ? '（' + when(a.revised_at) + ' 修改）' : '');
}

// "op:wang:… via console:console" → 王 (经网页控制台)
function actorOf(actor) {
  if (!actor) return '';
  const a = actorParts(actor);
  return h('span', h('span.actor-name', { text: a.name }), a.viaConsole ? '（经网页控制台）' : '');
}

async function detail(ctx, id) {
  const view = ctx.view;
  view.appendChild(title('任前联审', '各成员单位对拟任人选的意见'));
  if (flash) {
    view.appendChild(flash);
    flash = null;
  }
  const body = h('div');
  view.appendChild(body);
  body.appendChild(loading());
  let reply;
  try {
    reply = await get('review-request-show', { id });
  } catch (e) {
    clear(body);
    body.appendChild(errorBox(e));
    body.appendChild(h('p', link(ctx.href('reviews'), '返回联审列表')));
    return;
  }
  if (!ctx.alive()) return;
  const r = reply.data || {};
  const units = Array.isArray(r.units) ? r.units : [];
  const cands = Array.isArray(r.candidates) ? r.candidates : [];
  clear(body);
  setPrint('任前联审意见汇总表');
  body.appendChild(h('div.view-tools.no-print',
    button('打印', () => window.print(), 'primary'),
    link(ctx.href('reviews'), '返回联审列表')));
  const paper = h('article.answer.review-paper');
  paper.appendChild(h('h2.answer-title', { text: r.title || '任前联审' }));
  let missing = 0;
  for (const c of cands) for (const a of c.answers || []) if ((a.answer || 'unanswered') === 'unanswered') missing++;
  paper.appendChild(facts([
    ['联审编号', reqNo(r.id || id)],
    ['发起时间', when(r.created_at)],
    ['发起人', actorOf(r.created_by)],
    ['答复期限', (r.due_on || '') + (r.provisional ? '（按暂定工作日历计算）' : '')],
    ['知悉范围', word(SCOPES, r.scope)],
    ['征求意见单位', units.map((u) => unitName(u)).join('、')],
    ['答复情况', missing ? '尚有 ' + missing + ' 项未答复' : '各单位均已答复'],
  ], 'facts-answer'));
  cands.forEach((c, i) => {
    const s = h('section.candidate');
    s.appendChild(h('h3', { text: (i + 1) + '. ' + (c.name || '') }));
    const held = typeof c.dossier_filings === 'number'
      ? (c.dossier_filings > 0
        ? h('span', '平台已有报备 ' + c.dossier_filings + ' 件 ',
          h('span.no-print', link(ctx.href('dossier', '', { id: c.id_number }), '查看一人一档')))
        : '平台未有报备')
      : null;
    s.appendChild(facts([
      ['公民身份号码', c.id_number || ''],
      ['工作单位', c.work_unit || ''],
      ['职务', (c.post || '（未填写）') + ' → ' + (c.proposed_post || '')],
      ['平台报备', held],
    ]));
    const answers = c.answers || [];
    s.appendChild(table([
      { head: '单位', cls: 'c-unit', cell: (a) => unitName(a.unit, a.unit_name) },
      { head: '意见', cls: 'c-answer', cell: answerCell },
      { head: '答复时间及时限', cls: 'c-time-late', cell: (a) => timeCell(a, r.due_on) },
    ], answers, {
      cls: 'review-answers',
      rowClass: (a) => ((a.answer || 'unanswered') === 'unanswered' ? 'row-unanswered' : null),
      empty: '没有征求意见的单位。',
    }));
    paper.appendChild(s);
  });
  if (!cands.length) paper.appendChild(message('info', '此次联审没有人选。'));
  body.appendChild(paper);
}

export async function render(ctx) {
  if (ctx.arg) await detail(ctx, ctx.arg);
  else await list(ctx);
}
