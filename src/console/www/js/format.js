// Dates, times and the fields of a filing as the page shows them.  Times
// are the hub's (Asia/Shanghai), whatever the office computer's zone.

import { unitName, rankName, word, REVIEW_STATES, STAGES, SCOPES } from './words.js';

const ZONE = 'Asia/Shanghai';

function parts(date) {
  let f;
  try {
    f = new Intl.DateTimeFormat('zh-CN', {
      timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
    });
  } catch (e) {
    f = new Intl.DateTimeFormat('zh-CN', {
      year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
    });
  }
  const o = {};
  for (const p of f.formatToParts(date)) o[p.type] = p.value;
  if (o.hour === '24') o.hour = '00';
  return o;
}

// unix seconds → "2026-11-29 22:19"
export function dateTime(sec, withSeconds) {
  if (!sec) return '';
  const p = parts(new Date(Number(sec) * 1000));
  return p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute + (withSeconds ? ':' + p.second : '');
}

// unix seconds → "2026-11-29"
export function dateOf(sec) {
  if (!sec) return '';
  const p = parts(new Date(Number(sec) * 1000));
  return p.year + '-' + p.month + '-' + p.day;
}

// Today in Beijing time, "2026-11-29".
export function today() {
  return dateOf(Date.now() / 1000);
}

// "2026-11-29" → "2026年11月29日" (documents and printed pages).
export function longDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso || ''));
  if (!m) return String(iso || '');
  return m[1] + '年' + Number(m[2]) + '月' + Number(m[3]) + '日';
}

// Now, for a printed page: "2026年11月29日 22:19".
export function printStamp() {
  const p = parts(new Date());
  return longDate(p.year + '-' + p.month + '-' + p.day) + ' ' + p.hour + ':' + p.minute;
}

// A filing as the page reads it, whether the API nests the cadre
// ({cadre: {...}}) or lists its fields flat (name, id_number, …).
export function filingView(f) {
  const c = f.cadre || {};
  const pick = (a, b) => (a !== undefined && a !== null ? a : b);
  return {
    receipt: f.receipt_no || '',
    unit: f.unit || '',
    unitName: unitName(f.unit, f.unit_name),
    filingId: f.filing_id || '',
    revision: f.revision,
    stage: f.stage || '',
    stageName: word(STAGES, f.stage),
    category: f.category || '',
    categoryName: f.category_name || f.category || '',
    name: pick(c.name, f.name) || '',
    idNumber: pick(c.id_number, f.id_number) || '',
    workUnit: pick(c.work_unit, f.work_unit) || '',
    post: pick(c.post, f.post) || '',
    rank: pick(c.rank, f.rank),
    rankName: rankName(pick(c.rank, f.rank), pick(c.rank_name, f.rank_name)),
    learnedOn: f.learned_on || '',
    summary: f.summary || '',
    scope: f.scope || '',
    scopeName: word(SCOPES, f.scope),
    caseRef: f.case_ref || '',
    receivedAt: f.received_at || 0,
    dueOn: f.due_on || '',
    onTime: !!f.on_time,
    lateDays: Number(f.late_days || 0),
    answers: f.answers || '',
    judgedAt: f.judged_at || 0,
    review: pick(f.review_state, f.review) || '',
    reviewName: word(REVIEW_STATES, pick(f.review_state, f.review) || ''),
    realName: !!f.real_name,
    provisional: !!f.provisional,
    // The documents it carries (书面材料), each downloaded by its place.
    attachments: (f.attachments || []).map((a, i) => ({
      n: a.n || i + 1,
      name: a.name || '',
      typeName: a.type_name || a.media_type || '',
      size: Number(a.size || 0),
      hash: a.blake2b || '',
      href: '/api/attachment?receipt=' + encodeURIComponent(f.receipt_no || '') + '&n=' +
        encodeURIComponent(String(a.n || i + 1)),
    })),
    raw: f,
  };
}

// 按时 / 逾期 N 个工作日 (a filing's timeliness on receipt).
export function timeliness(v) {
  if (!v.dueOn) return '';
  if (v.onTime) return '按时';
  return '逾期 ' + v.lateDays + ' 个工作日';
}

export function plural(n, unit) {
  return String(n) + ' ' + unit;
}

export function percent(r) {
  if (r === null || r === undefined || r === '') return '—';
  const n = Number(r);
  if (!isFinite(n)) return '—';
  return (Math.round(n * 1000) / 10).toFixed(1) + '%';
}

// Validity of an 18-character ID number (GB 11643 check character), so
// that the page can say so before asking; the hub checks it again.
export function idNumberValid(s) {
  if (!/^\d{17}[\dXx]$/.test(s)) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * w[i];
  return '10X98765432'[sum % 11] === s[17].toUpperCase();
}

// A file's size for people: 1.5 MB, 320 KB, 900 字节.
export function fileSize(n) {
  if (n >= 1000 * 1000) return (n / 1000 / 1000).toFixed(1) + ' MB';
  if (n >= 1000) return Math.round(n / 1000) + ' KB';
  return n + ' 字节';
}
