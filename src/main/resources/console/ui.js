// Small DOM helpers: elements are built with text nodes (never HTML strings), so API data cannot inject markup.

export function h(tag, attrs, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'value') element.value = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

// Each status has a word and a symbol besides its colour, so colour is never the only signal.
const SYMBOLS = {
  active: '✓', eligible: '✓', succeeded: '✓', matched: '✓', up: '✓', alive: '✓',
  failed: '✕', ineligible: '✕', error: '✕', down: '✕', cancelled: '✕',
  processing: '◔', running: '◔', matching: '◔', conditional: '?', degraded: '!',
  pending: '…', queued: '…', inactive: '⏸', silent: '⏸', review: '⚑',
};

export function badge(status, label) {
  return h('span', { class: `badge badge-${status}` },
    h('span', { class: 'badge-symbol', 'aria-hidden': 'true' }, SYMBOLS[status] || '•'), ' ', label || status);
}

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function time(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return h('time', { datetime: iso, title: date.toISOString() }, DATE_TIME.format(date));
}

export function ago(iso) {
  if (!iso) return '—';
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  const text = seconds < 60 ? `${Math.max(seconds, 0)} s ago` : seconds < 3600 ? `${Math.round(seconds / 60)} min ago`
    : seconds < 86400 ? `${Math.round(seconds / 3600)} h ago` : `${Math.round(seconds / 86400)} d ago`;
  return h('time', { datetime: iso, title: DATE_TIME.format(new Date(iso)) }, text);
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

export function number(value) {
  return value === null || value === undefined ? '—' : Number(value).toLocaleString();
}

/** A message in the page: role=alert for errors (read at once), role=status for the rest. */
export function notice(kind, text) {
  return h('p', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** Shows a field's error beside it and ties it to the field for screen readers. */
export function showFieldError(input, message) {
  const id = `${input.id}-error`;
  let slot = document.getElementById(id);
  if (!slot) {
    slot = h('span', { id, class: 'field-error' });
    input.insertAdjacentElement('afterend', slot);
  }
  slot.textContent = message;
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), id].filter(Boolean)
    .filter((v, i, all) => all.indexOf(v) === i).join(' '));
}

export function clearFieldErrors(root) {
  root.querySelectorAll('.field-error').forEach((slot) => slot.remove());
  root.querySelectorAll('[aria-invalid]').forEach((input) => input.removeAttribute('aria-invalid'));
}

/** A page heading that takes focus after navigation, so keyboard and screen-reader users start there. */
export function title(text, ...extra) {
  return h('h1', { tabindex: '-1', id: 'page-title' }, text, ...extra);
}

/** Replaces an element's children, skipping null and false (replaceChildren would print "null"). */
export function put(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}
