// 审计记录: the auditor's view of the audit trail (全程记实): the entries
// with filters and paging, the chain's verification, and signing a
// checkpoint.  Never a filing's contents: the trail names objects only.

import { h, clear, field, select, input, button } from '../dom.js';
import { get, post, total } from '../api.js';
import { ACTION_FILTER, actionName, actorParts } from '../words.js';
import { dateTime } from '../format.js';
import { title, pager, table, errorBox, loading, message, section, busy } from '../ui.js';

function actorCell(a) {
  const p = actorParts(a);
  return [
    h('div.actor',
      p.kind ? h('span.actor-kind', { text: p.kind }) : null,
      h('span.actor-name', { text: p.name }),
      p.viaConsole ? h('span.badge.badge-console', { text: '经网页控制台' }) : null,
      p.via && !p.viaConsole ? h('span.badge', { text: '经 ' + p.via }) : null),
    h('div.raw', { text: p.raw }),
  ];
}

function checkpointLine(c) {
  if (!c || !c.seq) return null;
  return h('div.checkpoint',
    h('span', { text: '签名检查点：第 ' + c.seq + ' 条' }),
    c.at ? h('span', { text: '，签署时间 ' + dateTime(c.at, true) }) : null,
    c.head ? h('span', { text: '，链头哈希 ' }) : null,
    c.head ? h('code', { text: String(c.head).slice(0, 16) + '…' }) : null);
}

function verdict(r, show) {
  const finding = (r.text || r.finding || (r.data && r.data.finding) || '').trim();
  const bad = Number(r.first_bad || 0);
  if (bad > 0 || r.ok === false)
    return h('div.verdict-box.verdict-bad', { attrs: { role: 'alert' } },
      h('div.verdict-head', { text: '核验未通过' }),
      bad ? h('p', { text: '第一条不一致的记录：第 ' + bad + ' 条。该条及其后的记录可能已被改动或删除，请立即报告。' }) : null,
      bad && show ? h('p.no-print', h('a', { href: '#', text: '在记录列表中查看第 ' + bad + ' 条', on: { click: (e) => { e.preventDefault(); show(bad); } } })) : null,
      finding ? h('p', { text: finding }) : null,
      checkpointLine(r.checkpoint));
  return h('div.verdict-box.verdict-ok', { attrs: { role: 'status' } },
    h('div.verdict-head', { text: '核验通过' }),
    h('p', { text: finding || '审计记录的哈希链和签名检查点均一致。' }),
    checkpointLine(r.checkpoint));
}

function tools(show) {
  const out = h('div.audit-tools-out');
  const cpOut = h('div.audit-tools-out');
  const verify = button('核验审计链', async () => {
    busy(verify, true, '正在核验……');
    clear(out).appendChild(loading('正在逐条重新计算审计记录的哈希链……'));
    try {
      const r = await post('audit-verify', {});
      clear(out).appendChild(verdict(r, show));
    } catch (e) {
      if (e.kind === 'data')
        clear(out).appendChild(h('div.verdict-box.verdict-bad', { attrs: { role: 'alert' } },
          h('div.verdict-head', { text: '核验未通过' }), h('p', { text: e.message })));
      else clear(out).appendChild(errorBox(e));
    } finally {
      busy(verify, false);
    }
  }, 'primary');
  const sign = button('签署检查点', async () => {
    busy(sign, true, '正在签署……');
    try {
      const r = await post('audit-checkpoint', {});
      const c = r.checkpoint;
      clear(cpOut).appendChild(h('div.verdict-box.verdict-ok', { attrs: { role: 'status' } },
        h('div.verdict-head', { text: '已签署检查点' }),
        h('p', { text: (r.text && String(r.text).trim()) || '汇总平台已对审计记录的最新一条签名，可作为日后核验的依据。' }),
        checkpointLine(c)));
    } catch (e) {
      clear(cpOut).appendChild(errorBox(e));
    } finally {
      busy(sign, false);
    }
  });
  return section('核验与检查点',
    h('p.hint', { text: '核验：重新计算每条记录的哈希链并校验签名检查点，发现被改动或删除的记录。签署检查点：由汇总平台对当前最新一条记录签名，留作日后核验的依据。' }),
    h('div.view-tools', verify, sign), out, cpOut);
}

export async function render(ctx) {
  const view = ctx.view;
  const p = ctx.params;
  const st = {
    actor: p.get('actor') || '',
    action: p.get('action') || '',
    since: p.get('since') || '',
    until: p.get('until') || '',
    limit: Math.min(200, Math.max(1, Number(p.get('limit')) || 50)),
    mark: Number(p.get('mark')) || 0,
    offset: Math.max(0, Number(p.get('offset')) || 0),
  };
  view.appendChild(title('审计记录（全程记实）', '谁在何时报送、查阅、审核、导出了什么，每条记录都与上一条哈希相连'));
  // The page of the unfiltered list that holds entry SEQ, marked (the
  // trail's sequence numbers run 1, 2, … with no gaps).
  const show = async (seq) => {
    let latest = 0;
    try {
      const r = await get('audit-log', { limit: '1' });
      latest = r.entries && r.entries.length ? r.entries[r.entries.length - 1].seq : 0;
    } catch (e) { /* the list's own request will say why */ }
    const off = latest >= seq ? Math.floor((latest - seq) / st.limit) * st.limit : 0;
    ctx.go({ offset: off || '', mark: seq, limit: st.limit === 50 ? '' : st.limit });
  };
  view.appendChild(tools(show));

  const actor = input('actor', 'text', st.actor, { placeholder: '操作员名称或单位代码', maxlength: '100' });
  const action = select('action', ACTION_FILTER, st.action);
  const since = input('since', 'date', st.since);
  const until = input('until', 'date', st.until);
  const form = h('form.filters.no-print',
    field('操作人', actor),
    field('操作类型', action),
    h('div.field.field-range', h('span.field-label', { text: '记录日期' }),
      h('span.range', since, h('span.range-sep', { text: '至' }), until)),
    h('div.filter-actions', h('button.primary', { type: 'submit', text: '查询' }),
      button('清除条件', () => ctx.go({}))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.go({ actor: actor.value.trim(), action: action.value, since: since.value, until: until.value,
      limit: st.limit === 50 ? '' : st.limit });
  });
  const listSection = section('记录列表', form);
  view.appendChild(listSection);
  const body = h('div');
  listSection.appendChild(body);
  body.appendChild(loading());
  let reply;
  try {
    reply = await get('audit-log', {
      actor: st.actor || undefined, action: st.action || undefined,
      since: st.since || undefined, until: st.until || undefined,
      limit: String(st.limit), offset: String(st.offset),
    });
  } catch (e) {
    clear(body).appendChild(errorBox(e));
    return;
  }
  if (!ctx.alive()) return;
  const entries = (reply.entries || []).slice().sort((a, b) => b.seq - a.seq);
  const count = total(reply, entries);
  clear(body);
  const hp = (o) => ctx.go(Object.assign({ actor: st.actor, action: st.action, since: st.since, until: st.until,
    limit: st.limit === 50 ? '' : st.limit }, o));
  body.appendChild(h('p.hint', { text: '从最新的记录排起。' }));
  body.appendChild(pager(count, st.offset, st.limit, (off) => hp({ offset: off || '' }), '条',
    { choices: [50, 100, 200], onSize: (n) => hp({ offset: '', limit: n === 50 ? '' : n }) }));
  body.appendChild(table([
    { head: '序号', cls: 'c-seq', cell: (e) => String(e.seq) },
    { head: '记录时间', cls: 'c-time', cell: (e) => dateTime(e.at, true) },
    { head: '操作人', cls: 'c-actor', cell: (e) => actorCell(e.actor) },
    { head: '操作', cls: 'c-action', cell: (e) => [h('div', { text: actionName(e.action) }), h('div.raw', { text: e.action })] },
    { head: '对象', cls: 'c-object', cell: (e) => e.object || '' },
    { head: '详情', cls: 'c-detail', cell: (e) => e.detail || '' },
    { head: '哈希', cls: 'c-hash', cell: (e) => h('code', { text: String(e.hash || '').slice(0, 12), attrs: { title: e.hash || '' } }) },
  ], entries, { cls: 'audit', empty: '没有符合条件的记录。', rowClass: (e) => (e.seq === st.mark ? 'row-late' : null) }));
  if (entries.length > 15) body.appendChild(pager(count, st.offset, st.limit, (off) => hp({ offset: off || '' }), '条'));
}
