// 任前把关: one cadre across all units, by ID number, or by name (candidate
// people, then one of them).  The answer is dated, names the operator, and
// is printable; when nothing is filed it says so plainly.

import { h, clear, field, input, button, link } from '../dom.js';
import { get } from '../api.js';
import { ROLES, unitNames, word, REVIEW_STATES } from '../words.js';
import { filingView, printStamp } from '../format.js';
import { title, table, pagedTable, errorBox, loading, message, section, setPrint, facts } from '../ui.js';

const NONE = '经查，各成员单位均未报备有关此人的情况。';

function searchForm(ctx, id, name) {
  const idIn = input('id', 'text', id, { placeholder: '18位公民身份号码', maxlength: '18', autocomplete: 'off', spellcheck: 'false' });
  const nameIn = input('name', 'text', name, { placeholder: '姓名或其中几个字', maxlength: '20', autocomplete: 'off' });
  const byId = h('form.filters.search-one',
    field('公民身份号码', idIn, { cls: 'field-id' }),
    h('div.filter-actions', h('button.primary', { type: 'submit', text: '按号码查询' })));
  byId.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = idIn.value.trim().toUpperCase();
    if (!v) { idIn.focus(); return; }
    ctx.go({ id: v });
  });
  const byName = h('form.filters.search-one',
    field('姓名', nameIn),
    h('div.filter-actions', h('button', { type: 'submit', text: '按姓名查找' })));
  byName.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = nameIn.value.trim();
    if (!v) { nameIn.focus(); return; }
    ctx.go({ name: v });
  });
  return h('div.search-pair.no-print', byId, h('span.or', { text: '或' }), byName);
}

async function candidates(ctx, body, name) {
  let reply;
  try {
    reply = await get('dossier', { name });
  } catch (e) {
    clear(body).appendChild(errorBox(e));
    return;
  }
  if (!ctx.alive()) return;
  const people = (reply.filings || []).map((f) => ({ f, v: filingView(f) }));
  clear(body);
  const s = section('姓名含“' + name + '”的干部');
  if (!people.length) {
    s.appendChild(message('info', '各成员单位的报备中没有姓名含“' + name + '”的干部。如需出具查询结果，请按公民身份号码查询。'));
    body.appendChild(s);
    return;
  }
  s.appendChild(h('p.summary', { text: '共 ' + people.length + ' 人，请选择要查询的人：' }));
  s.appendChild(pagedTable([
    { head: '姓名', cls: 'c-name', cell: (p) => p.v.name },
    { head: '公民身份号码', cls: 'c-id', cell: (p) => p.v.idNumber },
    { head: '工作单位', cell: (p) => p.v.workUnit },
    { head: '职务', cell: (p) => p.v.post },
    { head: '职级', cls: 'c-rank', cell: (p) => p.v.rankName },
    { head: '报送单位', cell: (p) => p.f.unit_names || unitNames(p.f.unit) },
    { head: '报备件数', cls: 'c-num', cell: (p) => String(p.f.count || p.f.revision || '') },
    { head: '', cls: 'c-go', cell: (p) => link(ctx.href('dossier', '', { id: p.v.idNumber, name }), '查询此人') },
  ], people, { cls: 'people' }, 20, '人'));
  body.appendChild(s);
}

async function answer(ctx, body, id, name) {
  let reply;
  try {
    reply = await get('dossier', { id_number: id });
  } catch (e) {
    clear(body).appendChild(errorBox(e));
    return;
  }
  if (!ctx.alive()) return;
  // An amendment is never a new matter: the latest revision of each filing
  // is listed, and matters are counted by unit and case reference.
  const latest = new Map();
  for (const v of (reply.filings || []).map(filingView)) {
    const k = v.filingId || v.receipt;
    const had = latest.get(k);
    if (!had || v.revision > had.revision) latest.set(k, v);
  }
  const rows = Array.from(latest.values());
  const stamp = printStamp();
  clear(body);
  setPrint('干部任前把关查询结果');
  const who = ctx.me.name + '（' + (ROLES[ctx.me.role] || ctx.me.role) + '）';
  const personName = rows.length ? rows[rows.length - 1].name : '';
  const paper = h('article.answer');
  paper.appendChild(h('h2.answer-title', { text: '干部任前把关查询结果' }));
  paper.appendChild(facts([
    ['查询对象', (personName ? personName + '，' : '') + '公民身份号码 ' + id],
    ['查询时间', stamp],
    ['查询人', who],
    ['查询范围', '干部监督联席会议全部成员单位报备的事项'],
  ], 'facts-answer'));

  if (!rows.length) {
    paper.appendChild(h('p.verdict.verdict-none', { text: NONE }));
    const hubText = reply.text || reply.obligation || (reply.data && reply.data.text) || '';
    if (hubText)
      paper.appendChild(h('p.hub-sentence', { text: '汇总平台答复：' + hubText.trim() }));
  } else {
    const matters = new Map();
    for (const v of rows) matters.set(v.unit + '\u0000' + (v.caseRef || v.filingId), v.unitName);
    const byUnit = new Map();
    for (const u of matters.values()) byUnit.set(u, (byUnit.get(u) || 0) + 1);
    const parts = Array.from(byUnit, ([u, n]) => u + ' ' + n + ' 件');
    paper.appendChild(h('p.verdict.verdict-some', {
      text: '经查，共有 ' + byUnit.size + ' 个成员单位报备有关此人的事项 ' + matters.size + ' 件（' + parts.join('、') + '），情况如下：',
    }));
    paper.appendChild(table([
      { head: '序号', cls: 'c-no', cell: (v) => String(rows.indexOf(v) + 1) },
      { head: '报送单位', cls: 'c-unit', cell: (v) => v.unitName },
      { head: '问题类别', cls: 'c-cat', cell: (v) => v.categoryName },
      { head: '知悉日期', cls: 'c-date', cell: (v) => v.learnedOn },
      { head: '时任职务', cell: (v) => [v.workUnit, v.post].filter(Boolean).join(' ') + (v.rankName ? '（' + v.rankName + '）' : '') },
      { head: '简要情况', cls: 'c-summary', cell: (v) => v.summary || '（' + v.stageName + '，未附简要情况）' },
      { head: '阶段', cls: 'c-stage', cell: (v) => v.stageName + (v.revision > 1 ? '（修改后）' : '') },
      { head: '回执编号', cls: 'c-receipt', cell: (v) => (v.receipt ? link(ctx.href('filing', v.receipt), v.receipt) : '') },
      { head: '审核', cls: 'c-state', cell: (v) => word(REVIEW_STATES, v.review) },
    ], rows, { cls: 'dossier' }));
  }
  paper.appendChild(h('div.sign',
    h('span', { text: '查询人（签字）：' }), h('span.sign-line'),
    h('span', { text: '复核人（签字）：' }), h('span.sign-line')));
  body.appendChild(h('div.view-tools.no-print', button('打印查询结果', () => window.print(), 'primary'),
    name ? link(ctx.href('dossier', '', { name }), '返回候选人名单') : null));
  body.appendChild(paper);
}

export async function render(ctx) {
  const id = (ctx.params.get('id') || '').trim();
  const name = (ctx.params.get('name') || '').trim();
  const view = ctx.view;
  view.appendChild(title('任前把关（一人一档）', '拟任用、提拔前，查询各成员单位对此人的全部报备'));
  view.appendChild(searchForm(ctx, id, id ? '' : name));
  const body = h('div');
  view.appendChild(body);
  if (!id && !name) {
    body.appendChild(h('p.hint', { text: '按公民身份号码查询可出具查询结果；只知道姓名时，先按姓名查找，再从候选人中选择。' }));
    return;
  }
  body.appendChild(loading(id ? '正在查询……' : '正在查找……'));
  if (id) await answer(ctx, body, id, name);
  else await candidates(ctx, body, name);
}
