// The words the page shows for the hub's codes (po/GLOSSARY.md).  Units
// and categories come named from the API (unit_name, category_name); the
// unit table here is for the filter lists and for lists the API names by
// code only.  A code without a word is shown as it is, never hidden.

export const UNITS = [
  ['discipline', '县纪委(县监察局)'],
  ['organization', '县委组织部'],
  ['politics_law', '县委政法委'],
  ['court', '县法院'],
  ['procuratorate', '县检察院'],
  ['police', '县公安局'],
  ['audit', '县审计局'],
  ['family_planning', '县计生局'],
  ['petitions', '县信访局'],
];
const UNIT_NAME = new Map(UNITS);

export function unitName(code, given) {
  if (given) return given;
  if (!code) return '';
  return UNIT_NAME.get(code) || code;
}

// "police,court" (a candidate person's units) → "县公安局、县法院"
export function unitNames(codes) {
  return String(codes || '').split(',').filter(Boolean).map((c) => unitName(c.trim())).join('、');
}

export const ROLES = {
  supervisor: '干部监督组',
  convener: '召集人',
  auditor: '审计员',
  member: '成员单位联络员',
};

export const STAGES = {
  notice: '简要报告（初报）',
  report: '书面报告',
  supplement: '补充材料',
};

export const SCOPES = {
  public: '公开',
  organs: '党政机关',
  leadership: '县委领导班子',
  specific: '特定范围',
  classified: '涉密',
};

// The review state of a filing (filings / show: review or review_state).
export const REVIEW_STATES = {
  '': '未审核',
  unreviewed: '未审核',
  accepted: '已审核',
  noted: '已备注',
  supplement: '已要求补充材料',
};

// What a review record did (reviews[].action).
export const REVIEW_ACTIONS = {
  accept: '接收（已审核）',
  accepted: '接收（已审核）',
  note: '备注',
  noted: '备注',
  supplement: '要求补充材料',
};

// Ranks: proto's enum Rank by number, and the filter's words (opcmd.c).
export const RANKS = ['未填写', '科员及以下', '副科级', '正科级', '副处级', '正处级', '副厅级及以上'];
export const RANK_WORDS = ['', 'clerk', 'deputy_section', 'section', 'deputy_division', 'division', 'bureau'];

// The page's own word for a rank it knows (whatever language the console
// speaks), else the name the API gave, else the code.
export function rankName(rank, given) {
  if (rank === undefined || rank === null || rank === '') return given || '';
  if (typeof rank === 'number' && RANKS[rank]) return RANKS[rank];
  const i = RANK_WORDS.indexOf(String(rank));
  if (i > 0) return RANKS[i];
  if (String(rank) === '') return RANKS[0];
  if (/^\d+$/.test(String(rank)) && RANKS[Number(rank)]) return RANKS[Number(rank)];
  return given || String(rank);
}

export const RANK_FILTER = [
  ['', '全部职级'],
  ['above', '副科级及以上'],
  ['clerk', '科员及以下'],
  ['deputy_section', '副科级'],
  ['section', '正科级'],
  ['deputy_division', '副处级'],
  ['division', '正处级'],
  ['bureau', '副厅级及以上'],
];

export const OBLIGATION_KINDS = {
  report: '书面报告',
  supplement: '补充材料',
  review: '任前联审意见',
  attendance: '参会回执',
};

export const OBLIGATION_STATES = {
  open: '尚未到期',
  overdue: '逾期未报',
  answered: '已答复',
  superseded: '已另行办结',
};

export const MEETING_KINDS = {
  annual: '年度例会',
  adhoc: '临时会议',
};

export const AUDIENCES = {
  full: '全体成员单位',
  leadership: '县委领导班子',
};

// A meeting's marks on its briefings (meeting-create's secrecy and urgency),
// as the documents print them; '' is a meeting of before marks: none.
export const SECRECY = {
  internal: '内部资料 注意保存',
  recall: '会后收回',
  none: '不标注',
};
export const URGENCY = {
  none: '不标注',
  urgent: '加急',
  very_urgent: '特急',
};

// The marks of meeting m as one phrase ('' when it has none).
export function meetingMarks(m) {
  const s = m && m.secrecy && m.secrecy !== 'none' ? word(SECRECY, m.secrecy) : '';
  const u = m && m.urgency && m.urgency !== 'none' ? word(URGENCY, m.urgency) : '';
  return [s, u].filter(Boolean).join('，');
}

// The briefing's documents (brief's part) and formats.
export const BRIEF_PARTS = {
  main: '通报材料（正文）',
  appendix: '附件：报备事项清单',
  points: '讲话要点',
};
export const BRIEF_FORMATS = {
  docx: 'Word 文档（公文格式，可编辑）',
  html: '网页（HTML，可直接打印）',
  pdf: 'PDF',
};

// The audit trail's action words: "read:show", "review:accept", "file" …
const ACTION_VERBS = {
  file: '报备',
  reject: '退回报备',
  read: '查阅',
  refused: '拒绝请求',
  review: '审核',
  meeting: '联席会议',
  export: '导出',
  audit: '审计记录',
  key: '密钥',
  deliver: '送达',
  remind: '催报提醒',
  hub: '汇总平台',
};
const ACTION_OBJECTS = {
  filings: '报备列表',
  show: '报备详情',
  dossier: '一人一档',
  overdue: '督办看板',
  export: '报备列表导出',
  'audit-log': '审计记录',
  'meeting-list': '会议列表',
  'meeting-show': '会议详情',
  whoami: '操作员身份',
  brief: '通报材料',
  accept: '接收',
  note: '备注',
  supplement: '要求补充材料',
  create: '安排会议',
  checkpoint: '签署检查点',
  verify: '核验审计链',
  log: '查阅审计记录',
  repeated: '重复退回',
  authorized: '授权',
  revoked: '吊销',
  changed: '变更',
};

export function actionName(action) {
  const a = String(action || '');
  const i = a.indexOf(':');
  const verb = i < 0 ? a : a.slice(0, i);
  const obj = i < 0 ? '' : a.slice(i + 1);
  const v = ACTION_VERBS[verb];
  if (!v) return a;
  if (!obj) return v;
  const o = ACTION_OBJECTS[obj];
  return o ? v + '：' + o : v + '：' + obj;
}

// The audit filter's choices: the hub matches actions beginning with this.
export const ACTION_FILTER = [
  ['', '全部操作'],
  ['file', '报备'],
  ['reject', '退回报备'],
  ['review', '审核（全部）'],
  ['review:accept', '审核：接收'],
  ['review:note', '审核：备注'],
  ['review:supplement', '审核：要求补充材料'],
  ['read', '查阅'],
  ['refused', '拒绝请求'],
  ['meeting', '联席会议'],
  ['export', '导出'],
  ['audit', '审计记录'],
  ['key', '密钥'],
];

// An actor as the audit trail records it: "op:wang:1a2b… via console:console",
// "unit:police" or a unit code, "hub".
export function actorParts(actor) {
  const s = String(actor || '');
  const via = s.indexOf(' via ');
  const who = via < 0 ? s : s.slice(0, via);
  const viaWhat = via < 0 ? '' : s.slice(via + 5);
  let name = who;
  let kind = '';
  let m;
  if ((m = /^op:([^:]+)/.exec(who))) { name = m[1]; kind = '操作员'; }
  else if ((m = /^unit:([^:]+)/.exec(who))) { name = unitName(m[1]); kind = '成员单位'; }
  else if (UNIT_NAME.has(who)) { name = unitName(who); kind = '成员单位'; }
  else if (who === 'hub') { name = '汇总平台'; kind = ''; }
  return { name, kind, viaConsole: /^console(:|$)/.test(viaWhat), via: viaWhat, raw: s };
}

export function word(table, code) {
  if (code === undefined || code === null) return '';
  const w = table[code];
  return w === undefined ? String(code) : w;
}

// A warning of the hub's as the web page shows it: without the command-line
// hint in brackets ("（lianxi meeting create --kind annual）"), which the
// page's own buttons replace.
export function pageSentence(s) {
  return String(s || '').replace(/\s*[（(]\s*lianxi [^）)]*[）)]/g, '').trim();
}
