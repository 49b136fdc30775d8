// 通报材料: the convener compiles the briefing of a meeting (or a period)
// for an audience and downloads it (POST /api/brief answers the file): the
// briefing itself, its appendix (报备事项清单) or the speaking points, as a
// .docx 公文, HTML or PDF.  The marks (密级, 紧急程度) are the meeting's.
// And sends a meeting's briefing to the member units (brief with send: one
// numbered .docx each, fetched by their adapters), showing which received it.

import { h, clear, field, select, input } from '../dom.js';
import { get, post, download, save } from '../api.js';
import { word, unitName, MEETING_KINDS, AUDIENCES, BRIEF_PARTS, BRIEF_FORMATS, meetingMarks } from '../words.js';
import { today, longDate, fileSize } from '../format.js';
import { title, errorBox, loading, message, section, busy, table } from '../ui.js';
import { meetingsOf } from './meetings.js';

function meetingLabel(m) {
  return '第 ' + m.id + ' 号 · ' + m.date + ' ' + word(MEETING_KINDS, m.kind) + ' · ' + (m.title || '');
}

function copyState(c) {
  let s = c.received ? '已签收' : c.sent ? '已发出，尚未签收' : '尚未送达';
  if (c.recall) s += c.recall.confirmed ? '；已收回' : '；已通知收回';
  return s;
}

// The copies of meeting id sent to the units (brief-copies), as a table;
// nothing (null) when current() no longer says id once they are read.
async function showCopies(box, id, current) {
  clear(box).appendChild(loading());
  try {
    const r = await get('brief-copies', { meeting: id });
    const rows = Array.isArray(r.data) ? r.data : [];
    if (current() !== id) return null;
    clear(box).appendChild(table([
      { head: '份号', cls: 'c-no', cell: (c) => String(c.copy_no || 0).padStart(6, '0') },
      { head: '成员单位', cls: 'c-unit', cell: (c) => c.unit_name || unitName(c.unit) },
      { head: '签收情况', cls: 'c-got', cell: copyState },
    ], rows, { cls: 'copies', empty: '本次会议的通报材料尚未发送各成员单位。' }));
    return rows.length;
  } catch (e) {
    if (current() !== id) return null;
    clear(box).appendChild(errorBox(e));
    return -1;
  }
}

// Sends a meeting's briefing to the member units, after the convener confirms.
function sendSection(meetings) {
  const sel = select('send-meeting', meetings.map((m) => [String(m.id), meetingLabel(m)]),
    meetings[0] ? String(meetings[0].id) : '');
  const go = h('button.primary', { type: 'submit', text: '发送各成员单位' });
  const out = h('div.send-result');
  const copies = h('div.copies-box');
  const refresh = async () => {
    if (!sel.value) return;
    const n = await showCopies(copies, sel.value, () => sel.value);
    if (n !== null) go.disabled = n !== 0;
  };
  sel.addEventListener('change', refresh);
  const form = h('form.form-stack',
    field('联席会议', sel),
    h('p.hint', h('span', { text: '通报对象为联席会议成员，每个成员单位一份 Word 文档，各编份号；各单位报送程序收到后自动签收，' +
      '文件保存在其 ' }), h('code', { text: 'notices' }), h('span', { text: ' 文件夹。标注“会后收回”的会议，会后可收回。每次会议只发送一次。' })),
    h('div.filter-actions', go), out, copies);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const m = meetings.find((x) => String(x.id) === sel.value);
    if (!m) {
      clear(out).appendChild(message('error', '请选择联席会议。'));
      return;
    }
    if (!window.confirm('将' + meetingLabel(m) + '的通报材料发送各成员单位（每单位一份，编份号）？发送后不能撤销。'))
      return;
    busy(go, true, '正在编制并发送……');
    clear(out).appendChild(message('info', '正在编制各单位的通报材料并发送，需要稍候……'));
    try {
      await post('brief', { meeting: m.id, audience: 'full', send: '1' });
      clear(out).appendChild(message('ok', '已发送' + meetingLabel(m) + '的通报材料，各单位份号及签收情况见下表。'));
    } catch (err) {
      clear(out).appendChild(errorBox(err));
    } finally {
      busy(go, false);
    }
    await refresh();
  });
  refresh();
  return section('发送各成员单位', form);
}

export async function render(ctx) {
  const view = ctx.view;
  view.appendChild(title('通报材料', '按联席会议的四项职责汇总统计期间的报备情况，供会上通报'));
  const body = h('div');
  view.appendChild(body);
  body.appendChild(loading());
  let meetings = [];
  try {
    meetings = meetingsOf(await get('meeting-list', {}));
  } catch (e) {
    clear(body).appendChild(errorBox(e));
    return;
  }
  if (!ctx.alive()) return;
  clear(body);
  meetings.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : b.id - a.id));
  const wanted = ctx.params.get('meeting') || (meetings[0] ? String(meetings[0].id) : '');

  const basisMeeting = input('basis', 'radio', 'meeting');
  const basisPeriod = input('basis', 'radio', 'period');
  const meetingSel = select('meeting', meetings.map((m) => [String(m.id), meetingLabel(m)]), wanted);
  const t = today();
  const from = input('from', 'date', t.slice(0, 4) + '-01-01');
  const to = input('to', 'date', t);
  if (meetings.length) basisMeeting.checked = true;
  else {
    basisPeriod.checked = true;
    basisMeeting.disabled = true;
    meetingSel.disabled = true;
  }
  const marks = h('p.hint');
  const showMarks = () => {
    const m = meetings.find((x) => String(x.id) === meetingSel.value);
    const w = m ? meetingMarks(m) : '';
    marks.textContent = basisMeeting.checked && w ? '本次会议材料标注：' + w : '';
  };
  meetingSel.addEventListener('change', showMarks);
  basisMeeting.addEventListener('change', showMarks);
  basisPeriod.addEventListener('change', showMarks);
  showMarks();
  const audience = select('audience', Object.keys(AUDIENCES).map((k) => [k, AUDIENCES[k]]), 'full');
  const part = select('part', Object.keys(BRIEF_PARTS).map((k) => [k, BRIEF_PARTS[k]]), 'main');
  const copy = input('copy', 'number', '', { min: '1', max: '999999', step: '1', placeholder: '不填则不印份号' });
  const showIds = input('show_id_numbers', 'checkbox');
  const showIdsRow = h('label.check', showIds, h('span', { text: '附件中显示完整的公民身份号码（默认隐去中间八位；此项记入审计记录）' }));
  const showPart = () => { showIdsRow.hidden = part.value !== 'appendix'; if (showIdsRow.hidden) showIds.checked = false; };
  part.addEventListener('change', showPart);
  showPart();
  const formats = Object.keys(BRIEF_FORMATS).map((k) => {
    const r = input('format', 'radio', k);
    r.checked = k === 'html';
    return r;
  });
  const formatOf = () => (formats.find((r) => r.checked) || formats[0]).value;
  const go = h('button.primary', { type: 'submit', text: '编制并下载' });
  const out = h('div.brief-result');

  const form = h('form.form-stack',
    h('fieldset',
      h('legend', { text: '通报依据' }),
      h('label.check', basisMeeting, h('span', { text: '联席会议' })), meetingSel,
      meetings.length ? null : h('span.hint', { text: '（尚未安排会议）' }),
      h('label.check', basisPeriod, h('span', { text: '统计期间' })),
      h('span.range', from, h('span.range-sep', { text: '至' }), to),
      marks),
    h('fieldset',
      h('legend', { text: '读者范围' }),
      field('通报对象', audience),
      h('p.hint', { text: '“县委领导班子”范围的材料只列入知悉范围允许的事项。' })),
    h('fieldset',
      h('legend', { text: '材料' }),
      field('文件', part),
      field('份号', copy),
      showIdsRow),
    h('fieldset',
      h('legend', { text: '文件格式' }),
      ...formats.map((r) => h('label.check', r, h('span', { text: BRIEF_FORMATS[r.value] })))),
    h('div.filter-actions', go),
    out);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const params = { audience: audience.value, format: formatOf(), part: part.value };
    if (copy.value.trim()) {
      const n = Number(copy.value);
      if (!Number.isInteger(n) || n < 1 || n > 999999) {
        clear(out).appendChild(message('error', '份号应为 1 至 999999 的整数。'));
        return;
      }
      params.copy = String(n);
    }
    if (part.value === 'appendix' && showIds.checked) params.show_id_numbers = '1';
    let what;
    if (basisMeeting.checked) {
      if (!meetingSel.value) {
        clear(out).appendChild(message('error', '请选择联席会议。'));
        return;
      }
      params.meeting = meetingSel.value;
      what = '第 ' + meetingSel.value + ' 号联席会议';
    } else {
      if (!from.value || !to.value || from.value > to.value) {
        clear(out).appendChild(message('error', '请填写正确的统计期间。'));
        return;
      }
      params.from = from.value;
      params.to = to.value;
      what = longDate(from.value) + '至' + longDate(to.value);
    }
    busy(go, true, '正在编制……');
    clear(out).appendChild(message('info', '正在编制' + what + '的通报材料，统计数据较多时需要稍候……'));
    try {
      const f = await download('brief', params);
      const ext = '.' + params.format;
      const name = f.name || word(BRIEF_PARTS, params.part) + ext;
      const kind = { pdf: 'PDF', html: '网页', docx: 'Word 文档' }[params.format];
      save(f.blob, name);
      clear(out).appendChild(h('div.msg.msg-ok', { attrs: { role: 'status' } },
        h('span', { text: '已编制并下载：' }), h('span.filename', { text: name }),
        h('span', { text: '（' + kind + '，' + fileSize(f.blob.size) + '）。' })));
    } catch (err) {
      clear(out).appendChild(errorBox(err));
    } finally {
      busy(go, false);
    }
  });
  body.appendChild(section('编制通报材料', form));
  if (meetings.length) body.appendChild(sendSection(meetings));
}
