// 通报与简报: what the joint meeting sent to the units — circulars, meeting
// notices and the numbered copies of a meeting's briefing — and which unit's adapter
// received each.  A member sees what was sent to its own unit (the hub
// limits the answer); the documents stay with the units' adapters.

import { h, clear, field, input } from '../dom.js';
import { get, post, upload } from '../api.js';
import { unitName, UNITS } from '../words.js';
import { fileSize } from '../format.js';
import { title, table, errorBox, loading, section, message, busy } from '../ui.js';

// What a circular may carry (the hub checks each file's first bytes too).
const DOC_TYPES = '.pdf,.ofd,.jpg,.jpeg,.png,.docx,.doc,.wps';
const DOC_MAX = 20 * 1000 * 1000;
const DOCS_MAX = 16;

function what(e) {
  if (e.kind === 'circular') return '通报 第 ' + e.circular + ' 号';
  if (e.kind === 'notice') return '会议通知 ' + (e.code || '');
  return '简报 份号 ' + String(e.copy_no || 0).padStart(6, '0');
}

function docs(e) {
  const d = e.documents || [];
  if (!d.length) return '无';
  const out = h('span');
  d.forEach((x, i) => {
    if (i) out.appendChild(document.createTextNode('、'));
    out.appendChild(h('span.filename', { text: x.name }));
  });
  return out;
}

function received(e) {
  const got = (e.units || []).filter((u) => u.received).map((u) => u.unit_name || unitName(u.unit));
  const waiting = (e.units || []).filter((u) => !u.received).map((u) => u.unit_name || unitName(u.unit));
  return h('span', { text: (got.length ? '已收到：' + got.join('、') : '') +
    (got.length && waiting.length ? '；' : '') + (waiting.length ? '尚未收到：' + waiting.join('、') : '') });
}

// The form of a new circular (the supervision group and the convener):
// title, text, the units, documents; each document is uploaded first, then
// the circular names them.  done() is called once it is sent.
function circularForm(done) {
  const head = input('title', 'text', '', { maxlength: '200', placeholder: '如：关于规范报备工作的通报' });
  const text = h('textarea', { attrs: { name: 'text', rows: '5', maxlength: '4000', placeholder: '通报正文' } });
  const boxes = UNITS.map(([code, name]) => {
    const b = input('unit', 'checkbox', code);
    b.checked = true;
    return h('label.check', b, h('span', { text: name }));
  });
  const files = input('documents', 'file', '', { multiple: '', accept: DOC_TYPES });
  const go = h('button.primary', { type: 'submit', text: '发送通报' });
  const out = h('div.circular-result');
  const form = h('form.form-stack',
    field('标题', head),
    field('正文', text),
    h('fieldset.units-pick', h('legend', { text: '发送单位' }), ...boxes),
    field('附件', files),
    h('p.hint', { text: '附件可为 PDF、OFD、JPEG、PNG 或 Word 文档，每份不超过 20 MB，至多 ' + DOCS_MAX +
      ' 份。通报发出后由各单位报送程序接收并签收，不能撤销。' }),
    h('div.filter-actions', go), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const units = boxes.map((l) => l.querySelector('input')).filter((b) => b.checked).map((b) => b.value);
    const list = Array.from(files.files || []);
    const bad = list.find((f) => f.size > DOC_MAX || f.size === 0);
    let why = '';
    const bytes = (v) => new TextEncoder().encode(v).length;
    if (!head.value.trim()) why = '请填写通报标题。';
    else if (!text.value.trim()) why = '请填写通报正文。';
    else if (bytes(head.value.trim()) > 200) why = '标题过长：不超过 200 字节（约 66 个汉字）。';
    else if (bytes(text.value) > 4000) why = '正文过长：不超过 4000 字节（约 1333 个汉字）。';
    else if (!units.length) why = '请至少选择一个成员单位。';
    else if (list.length > DOCS_MAX) why = '附件至多 ' + DOCS_MAX + ' 份。';
    else if (bad) why = bad.name + (bad.size ? ' 超过 20 MB，不能作为附件。' : ' 是空文件。');
    if (why) {
      clear(out).appendChild(message('error', why));
      return;
    }
    const to = units.length === UNITS.length ? '全部成员单位' : units.map((u) => unitName(u)).join('、');
    if (!window.confirm('将通报“' + head.value.trim() + '”' + (list.length ? '及 ' + list.length + ' 份附件' : '') +
      '发送' + to + '？发送后不能撤销。'))
      return;
    busy(go, true, '正在发送……');
    try {
      const lines = [];
      for (let i = 0; i < list.length; i++) {
        clear(out).appendChild(message('info', '正在上传附件 ' + (i + 1) + '/' + list.length + '：' +
          list[i].name + '（' + fileSize(list[i].size) + '）……'));
        lines.push((await upload(list[i])).line);
      }
      const r = await post('circular', {
        title: head.value.trim(),
        text: text.value,
        units: units.length === UNITS.length ? 'all' : units.join(','),
        documents: lines.join('\n'),
      });
      const d = r.data || {};
      clear(out).appendChild(message('ok', '第 ' + d.circular + ' 号通报已发给 ' + d.units +
        ' 个成员单位，各单位的签收情况见下表。'));
      form.reset();
      boxes.forEach((l) => { l.querySelector('input').checked = true; });
      done();
    } catch (err) {
      clear(out).appendChild(errorBox(err));
    } finally {
      busy(go, false);
    }
  });
  return form;
}

export async function render(ctx) {
  const view = ctx.view;
  const member = ctx.me.role === 'member';
  view.appendChild(title(member ? '本单位收到的通报和简报' : '通报与简报',
    member ? '联席会议发给本单位的通报和通报材料（份号），文件保存在报送程序的 notices 文件夹'
      : '发给各成员单位的通报和通报材料，各单位报送程序的签收情况'));
  const s = section(null);
  if (ctx.me.role === 'supervisor' || ctx.me.role === 'convener') {
    const list = () => { if (ctx.alive()) listSent(ctx, s); };
    view.appendChild(section('发送通报', circularForm(list)));
  }
  view.appendChild(s);
  await listSent(ctx, s);
}

// What was sent, into s.
async function listSent(ctx, s) {
  clear(s).appendChild(loading());
  let reply;
  try {
    reply = await get('sent');
  } catch (e) {
    clear(s).appendChild(errorBox(e));
    return;
  }
  if (!ctx.alive()) return;
  const rows = reply.data || [];
  clear(s);
  const cols = [
    { head: '发出时间', cls: 'c-date', cell: (e) => e.created_at || '' },
    { head: '类别', cls: 'c-kind', cell: what },
    { head: '标题', cls: 'c-title', cell: (e) => e.title || '' },
    { head: '内容', cls: 'c-text', cell: (e) => e.text || (e.kind === 'notice' ? (e.date || '') + ' ' + (e.time || '') + ' ' + (e.place || '') : '') },
    { head: '附件', cls: 'c-docs', cell: docs },
    { head: '签收情况', cls: 'c-got', cell: received },
  ];
  s.appendChild(table(cols, rows, { cls: 'sent', empty: '尚未发出通报或通报材料。' }));
}
