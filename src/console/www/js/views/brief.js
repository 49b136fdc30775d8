// 通报材料: the convener compiles the briefing of a meeting (or a period)
// for an audience and downloads it (POST /api/brief answers the file): the
// briefing itself, its appendix (报备事项清单) or the speaking points, as a
// .docx 公文, HTML or PDF.  The marks (密级, 紧急程度) are the meeting's.

import { h, clear, field, select, input } from '../dom.js';
import { get, download, save } from '../api.js';
import { word, MEETING_KINDS, AUDIENCES, BRIEF_PARTS, BRIEF_FORMATS, meetingMarks } from '../words.js';
import { today, longDate } from '../format.js';
import { title, errorBox, loading, message, section, busy } from '../ui.js';
import { meetingsOf } from './meetings.js';

function size(n) {
  if (n < 1024) return n + ' 字节';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
  return (n / 1024 / 1024).toFixed(1) + ' MB';
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
  const meetingSel = select('meeting', meetings.map((m) => [String(m.id),
    '第 ' + m.id + ' 号 · ' + m.date + ' ' + word(MEETING_KINDS, m.kind) + ' · ' + (m.title || '')]), wanted);
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
        h('span', { text: '（' + kind + '，' + size(f.blob.size) + '）。' })));
    } catch (err) {
      clear(out).appendChild(errorBox(err));
    } finally {
      busy(go, false);
    }
  });
  body.appendChild(section('编制通报材料', form));
}
