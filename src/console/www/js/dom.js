// Building the page's DOM without innerHTML: every piece of data goes in as
// text (textContent / text nodes), so nothing the hub or a unit sent can
// become markup.

// h('tag.class1.class2', props, ...children)
//   props: { text, attrs: {name: value}, on: {event: fn}, value, checked,
//            disabled, hidden, title, type, name, id, htmlFor, cls }
//   children: strings (as text), nodes, arrays, null/undefined/false (skipped)
export function h(spec, props, ...children) {
  const parts = spec.split('.');
  const el = document.createElement(parts[0] || 'div');
  for (let i = 1; i < parts.length; i++)
    if (parts[i]) el.classList.add(parts[i]);
  if (props && (typeof props !== 'object' || props instanceof Node || Array.isArray(props))) {
    children.unshift(props);
    props = null;
  }
  if (props) {
    for (const k of Object.keys(props)) {
      const v = props[k];
      if (v === undefined || v === null) continue;
      if (k === 'text') el.textContent = String(v);
      else if (k === 'attrs') {
        for (const a of Object.keys(v))
          if (v[a] !== undefined && v[a] !== null && v[a] !== false)
            el.setAttribute(a, v[a] === true ? '' : String(v[a]));
      } else if (k === 'on') {
        for (const ev of Object.keys(v)) el.addEventListener(ev, v[ev]);
      } else if (k === 'cls') {
        for (const c of [].concat(v))
          if (c) for (const x of String(c).split(/\s+/)) if (x) el.classList.add(x);
      } else if (k === 'dataset') {
        for (const d of Object.keys(v)) el.dataset[d] = String(v[d]);
      } else {
        el[k] = v;
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  return append(el, children);
}

// A labelled form field: <label class="field"><span>label</span>control</label>
export function field(label, control, extra) {
  return h('label.field', extra || null, h('span.field-label', { text: label }), control);
}

// <select> from [[value, label], ...]
export function select(name, options, value) {
  const s = h('select', { name });
  for (const [v, label] of options) {
    const o = h('option', { value: v, text: label });
    if (String(v) === String(value === undefined || value === null ? '' : value)) o.selected = true;
    s.appendChild(o);
  }
  return s;
}

export function input(name, type, value, attrs) {
  const i = h('input', { name, type: type || 'text', attrs: attrs || null });
  if (value !== undefined && value !== null) i.value = String(value);
  return i;
}

export function button(label, onclick, cls) {
  return h('button', { type: 'button', text: label, cls: cls || null, on: onclick ? { click: onclick } : null });
}

export function link(href, label, cls) {
  return h('a', { href, text: label, cls: cls || null });
}
