// The console's HTTP interface (src/console/API.md).  Every answer is JSON
// {ok, ...}; a refusal is {ok:false, error:"一句中文", kind}: the page
// shows that sentence as it is.

export class ApiError extends Error {
  constructor(message, status, kind) {
    super(message);
    this.status = status;
    this.kind = kind || '';
  }
}

function query(params) {
  const qs = new URLSearchParams();
  if (params)
    for (const k of Object.keys(params)) {
      const v = params[k];
      if (v === undefined || v === null || v === '' || v === false) continue;
      qs.set(k, v === true ? '1' : String(v));
    }
  const s = qs.toString();
  return s ? '?' + s : '';
}

// Parameters travel as strings, as on the command line.
function body(params) {
  const o = {};
  if (params)
    for (const k of Object.keys(params)) {
      const v = params[k];
      if (v === undefined || v === null || v === '' || v === false) continue;
      o[k] = v === true ? '1' : String(v);
    }
  return JSON.stringify(o);
}

const STATUS_WORDS = {
  400: '请求有误',
  403: '无权访问',
  404: '未找到',
  405: '不允许的请求方式',
  422: '数据有误',
  502: '汇总平台未响应',
  503: '服务暂不可用',
};

async function failure(r) {
  let msg = '';
  let kind = '';
  const type = r.headers.get('Content-Type') || '';
  if (type.indexOf('json') >= 0) {
    try {
      const j = await r.json();
      msg = j && j.error ? String(j.error) : '';
      kind = j && j.kind ? String(j.kind) : '';
    } catch (e) { /* not JSON after all */ }
  }
  if (!msg)
    msg = '网页控制台未能完成请求（' + (STATUS_WORDS[r.status] || '错误') + '，HTTP ' + r.status + '）';
  return new ApiError(msg, r.status, kind);
}

async function send(url, init) {
  let r;
  try {
    r = await fetch(url, init);
  } catch (e) {
    throw new ApiError('无法连接网页控制台，请检查网络后重试', 0, 'network');
  }
  return r;
}

async function answer(r) {
  if (!r.ok) throw await failure(r);
  let j;
  try {
    j = await r.json();
  } catch (e) {
    throw new ApiError('网页控制台的答复无法识别（不是 JSON）', r.status, 'format');
  }
  if (!j || j.ok === false)
    throw new ApiError(j && j.error ? String(j.error) : '请求未成功', r.status, j && j.kind);
  return j;
}

// GET /api/COMMAND?params: a command that changes nothing.
export async function get(command, params) {
  const r = await send('/api/' + encodeURIComponent(command) + query(params), {
    method: 'GET',
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { Accept: 'application/json' },
  });
  return answer(r);
}

function postInit(params) {
  return {
    method: 'POST',
    credentials: 'same-origin',
    cache: 'no-store',
    headers: {
      'Content-Type': 'application/json',
      'X-Lianxi-Request': '1',
      Accept: 'application/json',
    },
    body: body(params),
  };
}

// POST /api/COMMAND with a JSON object of string parameters.
export async function post(command, params) {
  const r = await send('/api/' + encodeURIComponent(command), postInit(params));
  return answer(r);
}

// A document for a circular: the file's bytes to POST /api/upload?name=…;
// the console hashes it and hands it to the hub.  Answers {hash, size,
// name, line} (line: what circular's documents takes).
export async function upload(file) {
  const r = await send('/api/upload?name=' + encodeURIComponent(file.name), {
    method: 'POST',
    credentials: 'same-origin',
    cache: 'no-store',
    headers: {
      'Content-Type': 'application/octet-stream',
      'X-Lianxi-Request': '1',
      Accept: 'application/json',
    },
    body: file,
  });
  const j = await answer(r);
  return j.data || {};
}

// The file name of a Content-Disposition header (filename*=UTF-8''… first).
export function dispositionName(cd) {
  if (!cd) return '';
  let m = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(cd);
  if (m) {
    try { return decodeURIComponent(m[2].trim().replace(/^"|"$/g, '')); } catch (e) { /* fall through */ }
  }
  m = /filename\s*=\s*"([^"]*)"/i.exec(cd) || /filename\s*=\s*([^;]+)/i.exec(cd);
  return m ? m[1].trim() : '';
}

// POST a command that answers a document (the briefing): {blob, name, type}.
export async function download(command, params) {
  const r = await send('/api/' + encodeURIComponent(command), postInit(params));
  if (!r.ok) throw await failure(r);
  const type = r.headers.get('Content-Type') || '';
  if (type.indexOf('application/json') === 0) {
    // A refusal that came with 200 is still a refusal.
    const j = await r.json();
    if (!j || j.ok === false) throw new ApiError(j && j.error ? j.error : '请求未成功', r.status, j && j.kind);
    throw new ApiError('网页控制台没有返回文件', r.status, 'format');
  }
  const blob = await r.blob();
  return { blob, name: dispositionName(r.headers.get('Content-Disposition')), type };
}

// Saves a blob under a file name through the browser's download.
export function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
    a.remove();
  }, 30000);
}

// How many a listing holds in all: the reply's count when it gives one.
export function total(reply, list) {
  if (reply && typeof reply.count === 'number' && (reply.count > 0 || !list || list.length === 0))
    return reply.count;
  return list ? list.length : 0;
}
