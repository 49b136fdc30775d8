// 通报与简报: what the joint meeting sent to the units — circulars, meeting
// notices and the numbered copies of a meeting's briefing — and which unit's adapter
// received each.  A member sees what was sent to its own unit (the hub
// limits the answer); the documents stay with the units' adapters.

import { h, clear } from '../dom.js';
import { get } from '../api.js';
import { unitName } from '../words.js';
import { title, table, errorBox, loading, section } from '../ui.js';

function what(e) {
  if (e.kind === 'circular') return '通报 第 ' + e.circular + ' 号';
  if (e.kind === 'notice') return '会议通知 ' + (e.code || '');
  return '简报 份号 ' + String(e.copy_no || 0).padStart(6, '0');
}

function docs(e) {
  const d = e.documents || [];
  return d.length ? d.map((x) => x.name).join('、') : '无';
}

function received(e) {
  const got = (e.units || []).filter((u) => u.received).map((u) => u.unit_name || unitName(u.unit));
  const waiting = (e.units || []).filter((u) => !u.received).map((u) => u.unit_name || unitName(u.unit));
  return h('span', { text: (got.length ? '已收到：' + got.join('、') : '') +
    (got.length && waiting.length ? '；' : '') + (waiting.length ? '尚未收到：' + waiting.join('、') : '') });
}

export async function render(ctx) {
  const view = ctx.view;
  const member = ctx.me.role === 'member';
  view.appendChild(title(member ? '本单位收到的通报和简报' : '通报与简报',
    member ? '联席会议发给本单位的通报和通报材料（份号），文件保存在报送程序的 notices 文件夹'
      : '发给各成员单位的通报和通报材料，各单位报送程序的签收情况'));
  const s = section(null);
  view.appendChild(s);
  s.appendChild(loading());
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
