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
  // The notice (会议通知) each member unit is sent, to answer whether it attends.
  const time = input('time', 'time', '', {});
  const place = input('place', 'text', '', { placeholder: '如：县委组织部三楼会议室', maxlength: '60' });
  const attendee = input('attendee', 'text', '', { placeholder: '不填则为“分管人事的副职”', maxlength: '60' });
  const agenda = h('textarea', { attrs: { name: 'agenda', rows: '3', placeholder: '每项议程一行' } });
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
    field('开始时间', time),
    field('会议地点', place),
    field('参会人员', attendee),
    field('会议议程', agenda, { cls: 'field-title' }),
    h('p.hint', { text: '安排会议后，会议通知即发往全部九个成员单位，各单位须在会前三个工作日内回复是否出席。' }),
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
        secrecy: secrecy.value, urgency: urgency.value, time: time.value || undefined,
        place: place.value.trim() || undefined, attendee: attendee.value.trim() || undefined,
        agenda: agenda.value.trim() || undefined,
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

const STATE_CLASS = { confirmed: 'ok', declined: null, unanswered: 'late' };

// The attendance board of one meeting: each unit invited, its reply, who
// attends, reminders, whether its adapter received the notice.
async function attendance(ctx, box, id) {
  clear(box).appendChild(loading());
  let reply;
  try {
    reply = await get('meeting-attendance', { id: String(id) });
  } catch (e) {
    clear(box).appendChild(errorBox(e));
    return;
  }
  if (!ctx.alive()) return;
  const d = reply.data || {};
  const cols = [
    { head: '成员单位', cls: 'c-unit', cell: (u) => u.unit_name || u.unit || '' },
    { head: '答复', cls: 'c-state', cell: (u) => h('span', { cls: STATE_CLASS[u.state] || null, text: u.state_zh || '' }) },
    { head: '出席人员', cls: 'c-name', cell: (u) => u.attendee || '' },
    { head: '提醒次数', cls: 'c-num', cell: (u) => String(u.reminded || 0) },
    { head: '会议通知', cls: 'c-got', cell: (u) => (u.notice && u.notice.acked ? '已签收' : u.notice && u.notice.sent ? '已发出，尚未签收' : '尚未送达') },
  ];
  clear(box).appendChild(section('第 ' + id + ' 号会议参会回执（回复期限 ' + (d.due_on || '') + '）',
    h('p.summary', { text: '已确认出席 ' + (d.confirmed || 0) + ' 个单位，不出席 ' + (d.declined || 0) + ' 个，未答复 ' + (d.unanswered || 0) + ' 个。' }),
    table(cols, d.units || [], { cls: 'attendance', empty: '本次会议没有发出会议通知。' })));
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
  const attBox = h('div');
  cols.push({ head: '', cls: 'c-go', cell: (m) => h('button', { type: 'button', text: '参会回执', onclick: () => attendance(ctx, attBox, m.id) }) });
  if (convener)
    cols.push({ head: '', cls: 'c-go', cell: (m) => link(ctx.href('brief', '', { meeting: m.id }), '编制通报材料') });
  s.appendChild(table(cols, list.slice(off, off + PAGE), { cls: 'meetings', empty: '尚未安排联席会议。' }));
  body.appendChild(s);
  body.appendChild(attBox);
  if (convener)
    body.appendChild(section('安排联席会议', scheduleForm(ctx, () => ctx.go({}))));
}
