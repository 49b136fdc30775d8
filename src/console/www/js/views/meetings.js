// 联席会议: the meetings, the convener's duty warnings, and (convener)
// scheduling one: date, kind, the period it reports on, title, and the
// marks its briefings carry (密级/保密期限, 紧急程度).

import { h, clear, field, select, input, link } from '../dom.js';
import { get, post } from '../api.js';
import { word, MEETING_KINDS, SECRECY, URGENCY, meetingMarks, pageSentence } from '../words.js';
import { today, longDate } from '../format.js';
import { title, pager, table, errorBox, loading, message, section, busy } from '../ui.js';

const PAGE = 20;
let flash = null;

export function meetingsOf(reply) {
  const d = reply.data !== undefined ? reply.data : reply.meetings;
  if (Array.isArray(d)) return d;
  if (d && Array.isArray(d.meetings)) return d.meetings;
  return [];
}

function scheduleForm(ctx, onDone) {
  const t = today();
  const date = input('date', 'date', '', { required: true });
  const kind = select('kind', [['annual', '年度例会'], ['adhoc', '临时会议']], 'annual');
  const from = input('from', 'date', t.slice(0, 4) + '-01-01', { required: true });
  const to = input('to', 'date', t, { required: true });
  const name = input('title', 'text', '', { placeholder: '不填则用“县干部监督联席会议”的惯用名称', maxlength: '100' });
  const secrecy = select('secrecy', Object.keys(SECRECY).map((k) => [k, SECRECY[k]]), 'internal');
  const urgency = select('urgency', Object.keys(URGENCY).map((k) => [k, URGENCY[k]]), 'none');
  const out = h('div');
  const submit = h('button.primary', { type: 'submit', text: '安排会议' });
  const form = h('form.form-grid',
    field('会议日期', date),
    field('会议类型', kind),
    h('div.field.field-range', h('span.field-label', { text: '统计期间' }),
      h('span.range', from, h('span.range-sep', { text: '至' }), to)),
    field('会议名称', name, { cls: 'field-title' }),
    field('密级标注', secrecy),
    field('紧急程度', urgency),
    h('div.filter-actions', submit),
    out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!date.value || !from.value || !to.value) {
      clear(out).appendChild(message('error', '请填写会议日期和统计期间。'));
      return;
    }
    if (from.value > to.value) {
      clear(out).appendChild(message('error', '统计期间的起始日期不能晚于截止日期。'));
      return;
    }
    busy(submit, true, '正在提交……');
    try {
      const r = await post('meeting-create', {
        date: date.value, kind: kind.value, from: from.value, to: to.value, title: name.value.trim() || undefined,
        secrecy: secrecy.value, urgency: urgency.value,
      });
      const said = (r.text && String(r.text).trim()) || '已安排联席会议';
      flash = message('ok', said.replace(/[。.]$/, '') + '：' + longDate(date.value) + '，' +
        (kind.value === 'annual' ? '年度例会' : '临时会议') + (name.value.trim() ? '《' + name.value.trim() + '》' : '') + '。');
      onDone();
    } catch (err) {
      busy(submit, false);
      clear(out).appendChild(errorBox(err));
    }
  });
  return form;
}

export async function render(ctx) {
  const view = ctx.view;
  const convener = ctx.me.role === 'convener';
  const off = Math.max(0, Number(ctx.params.get('off')) || 0);
  view.appendChild(title('联席会议', '每年至少召开一次，由县委组织部牵头召集；根据工作需要可临时召集'));
  if (flash) {
    view.appendChild(flash);
    flash = null;
  }
  const warnBox = h('div');
  view.appendChild(warnBox);
  const body = h('div');
  view.appendChild(body);
  body.appendChild(loading());

  // The duty warnings the board carries (a year without its annual meeting).
  get('overdue', { limit: '1' }).then((b) => {
    const d = b.data || b;
    const w = d.meeting_warnings || [];
    if (w.length && ctx.alive())
      warnBox.appendChild(section('召集人履职提醒', ...w.map((s) => message('warn', pageSentence(s)))));
  }).catch(() => { /* the board's own page says why */ });

  let reply;
  try {
    reply = await get('meeting-list', {});
  } catch (e) {
    clear(body).appendChild(errorBox(e));
    return;
  }
  if (!ctx.alive()) return;
  const list = meetingsOf(reply).slice().sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : b.id - a.id));
  clear(body);
  const s = section('会议列表');
  s.appendChild(pager(list.length, off, PAGE, (o) => ctx.go({ off: o }), '次'));
  const cols = [
    { head: '编号', cls: 'c-no', cell: (m) => '第 ' + m.id + ' 号' },
    { head: '会议日期', cls: 'c-date', cell: (m) => m.date || '' },
    { head: '类型', cls: 'c-kind', cell: (m) => word(MEETING_KINDS, m.kind) },
    { head: '会议名称', cls: 'c-mtitle', cell: (m) => m.title || '' },
    { head: '统计期间', cls: 'c-period', cell: (m) => longDate(m.from) + '至' + longDate(m.to) },
    { head: '材料标注', cls: 'c-marks', cell: (m) => meetingMarks(m) || '—' },
    { head: '安排人', cls: 'c-actor', cell: (m) => m.created_by || '' },
  ];
  if (convener)
    cols.push({ head: '', cls: 'c-go', cell: (m) => link(ctx.href('brief', '', { meeting: m.id }), '编制通报材料') });
  s.appendChild(table(cols, list.slice(off, off + PAGE), { cls: 'meetings', empty: '尚未安排联席会议。' }));
  body.appendChild(s);
  if (convener)
    body.appendChild(section('安排联席会议', scheduleForm(ctx, () => ctx.go({}))));
}
