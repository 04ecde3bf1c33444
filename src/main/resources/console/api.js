// Calls the same JSON API curl users call. With KAAJ_API_KEY set on the server, the first 401 asks the
// user for the key once; it is kept in sessionStorage (this tab only) and sent as the X-API-Key header,
// never in a URL.
import { h } from './ui.js';

const KEY_STORE = 'kaaj.apiKey';
let keyPrompt = null;

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/**
 * JSON from path (or a Blob with blob: true); throws ApiError with the API's {"error"} message on any
 * status not in `accept`.
 */
export async function api(path, { method = 'GET', json, form, accept = [], blob = false } = {}) {
  const headers = { Accept: 'application/json' };
  const key = sessionStorage.getItem(KEY_STORE);
  if (key) headers['X-API-Key'] = key;
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  const response = await fetch(path, { method, headers, body, credentials: 'omit', cache: 'no-store' });
  if (blob && response.ok) return response.blob();
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { error: text };
  }
  if (response.status === 401) {
    // the first time, the server's message only says a key is needed; after a key, it says why it was refused
    sessionStorage.removeItem(KEY_STORE);
    await askForKey(key ? data && data.error : null);
    return api(path, { method, json, form, accept, blob });
  }
  if (!response.ok && !accept.includes(response.status)) {
    throw new ApiError(response.status, (data && data.error) || `the server answered HTTP ${response.status}`, data);
  }
  return data;
}

/** One dialog however many calls are waiting for the key; resolves once the user has given one. */
function askForKey(reason) {
  if (keyPrompt) return keyPrompt;
  keyPrompt = new Promise((resolve) => {
    const input = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', required: true,
      'aria-describedby': 'api-key-why' });
    const dialog = h('dialog', { class: 'key-dialog', 'aria-labelledby': 'api-key-title' },
      h('form', { method: 'dialog' },
        h('h2', { id: 'api-key-title' }, 'API key'),
        h('p', { id: 'api-key-why' }, 'This server needs its API key (KAAJ_API_KEY). It is kept in this tab only.',
          reason ? h('span', { class: 'field-error' }, ' ', reason) : null),
        h('label', { for: 'api-key' }, 'API key'),
        input,
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Continue'))));
    dialog.addEventListener('cancel', (event) => event.preventDefault());
    dialog.querySelector('form').addEventListener('submit', (event) => {
      const key = input.value.trim();
      if (!key) {
        event.preventDefault();
        return;
      }
      sessionStorage.setItem(KEY_STORE, key);
      dialog.close();
      dialog.remove();
      keyPrompt = null;
      resolve();
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
  return keyPrompt;
}

/**
 * The API's validation message split into the fields it names: "the application is not valid: fico must
 * be between 300 and 850, not 900; state 'ZZ' is not a US state code or name" gives fico and state;
 * a schema error "(at programs[0].min_fico)" gives that field. Returns [[field or null, message], ...].
 */
export function fieldErrors(message) {
  const at = /\(at ([a-z_\[\]0-9.]+)\)/.exec(message);
  if (at) return [[at[1], message]];
  const colon = message.indexOf(': ');
  const list = colon >= 0 && /not valid$/.test(message.slice(0, colon)) ? message.slice(colon + 2) : message;
  return list.split('; ').map((part) => {
    const field = /^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+)?)\b/.exec(part);
    return [field ? field[1] : null, part];
  });
}
