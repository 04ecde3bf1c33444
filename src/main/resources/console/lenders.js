// The lender list (paged and searched on the server), guideline upload with live status, and the review queue.
import { api } from './api.js';
import { h, put, badge, ago, notice, title, number } from './ui.js';

const PAGE_SIZE = 50;
const STATUSES = ['pending', 'processing', 'active', 'inactive', 'failed'];
const SOURCES = { rules: 'rules', llm: 'model', 'llm+rules': 'model + rules', manual: 'manual' };

export async function lendersPage(ctx) {
  const state = {
    q: ctx.params.get('q') || '',
    status: ctx.params.get('status') || '',
    page: Math.max(1, Number(ctx.params.get('page')) || 1),
  };
  const search = h('input', { id: 'lender-search', type: 'search', value: state.q, autocomplete: 'off' });
  const status = h('select', { id: 'lender-status' }, h('option', { value: '' }, 'Any status'),
    STATUSES.map((s) => h('option', { value: s, selected: s === state.status }, s)));
  const results = h('div', { id: 'lender-results', 'aria-live': 'polite', 'aria-busy': 'true' });
  ctx.main.append(
    title('Lenders'),
    uploadForm(ctx),
    h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
      h('div', { class: 'field' }, h('label', { for: 'lender-search' }, 'Search by name'), search),
      h('div', { class: 'field' }, h('label', { for: 'lender-status' }, 'Status'), status)),
    results);

  let loading = 0;
  const load = async () => {
    const ticket = ++loading;
    ctx.setQuery({ q: state.q, status: state.status, page: state.page > 1 ? state.page : '' });
    const query = new URLSearchParams({ limit: PAGE_SIZE, offset: (state.page - 1) * PAGE_SIZE });
    if (state.q) query.set('q', state.q);
    if (state.status) query.set('status', state.status);
    results.setAttribute('aria-busy', 'true');
    const data = await api(`/api/lenders?${query}`);
    if (ticket !== loading || ctx.left) return;
    put(results, lenderTable(data, state, load));
    results.setAttribute('aria-busy', 'false');
    performance.mark('kaaj:lenders-rendered');
  };
  let typing;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => { state.q = search.value.trim(); state.page = 1; load(); }, 250);
  });
  status.addEventListener('change', () => { state.status = status.value; state.page = 1; load(); });
  ctx.reloadLenders = load;
  await load();
}

function lenderTable(data, state, load) {
  const lenders = data.lenders;
  const total = data.total ?? lenders.length;
  if (!lenders.length) return notice('info', state.q || state.status ? 'No lender matches this search.' : 'No lenders yet: upload a guideline PDF above.');
  // the review flag comes with lenders once the server records it; without it the column is left out
  const hasReview = lenders.some((lender) => 'review_required' in lender);
  const first = (state.page - 1) * PAGE_SIZE + 1;
  const last = first + lenders.length - 1;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const go = (page) => { state.page = page; load(); };
  return h('div', {},
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'lenders-table' },
      h('caption', {}, `Lenders ${number(first)}–${number(last)} of ${number(total)}`),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Status'),
        hasReview ? h('th', { scope: 'col' }, 'Review') : null,
        h('th', { scope: 'col' }, 'Criteria source'), h('th', { scope: 'col', class: 'num' }, 'Programs'),
        h('th', { scope: 'col', class: 'num' }, 'Version'), h('th', { scope: 'col' }, 'Last update'))),
      h('tbody', {}, lenders.map((lender) => h('tr', { 'data-lender-id': lender.lender_id },
        h('td', {}, h('a', { href: `#/lenders/${lender.lender_id}` }, lender.name),
          lender.error ? h('div', { class: 'row-error' }, lender.error) : null),
        h('td', {}, badge(lender.status)),
        hasReview ? h('td', {}, lender.review_required ? badge('review', 'needs review') : '—') : null,
        h('td', {}, SOURCES[lender.criteria_source] || lender.criteria_source || '—'),
        h('td', { class: 'num' }, lender.program_count ?? '—'),
        h('td', { class: 'num' }, lender.criteria_version || '—'),
        h('td', {}, ago(lender.updated_at))))))),
    h('nav', { class: 'pager', 'aria-label': 'Lender pages' },
      h('button', { type: 'button', disabled: state.page <= 1, onclick: () => go(state.page - 1) }, '← Previous'),
      h('span', {}, `Page ${state.page} of ${number(pages)}`),
      h('button', { type: 'button', disabled: state.page >= pages, onclick: () => go(state.page + 1) }, 'Next →')));
}

/** Drop a guideline PDF (or pick it), name the lender, upload; each upload's status follows live below. */
function uploadForm(ctx) {
  const name = h('input', { id: 'upload-name', name: 'name', autocomplete: 'off', required: true,
    'aria-describedby': 'upload-hint' });
  const file = h('input', { id: 'upload-file', name: 'file', type: 'file', accept: '.pdf,.txt,application/pdf',
    required: true });
  const chosen = h('span', { class: 'chosen', 'aria-live': 'polite' });
  const uploads = h('ul', { class: 'uploads', id: 'uploads', 'aria-live': 'polite' });
  const error = h('div', { class: 'form-error' });
  const zone = h('div', { class: 'drop-zone', id: 'drop-zone' },
    h('p', { id: 'upload-hint' }, 'Drop a guideline PDF here, or choose it; name the lender and upload. ',
      'Processing continues in the background; its status updates here.'),
    h('div', { class: 'field-row' },
      h('div', { class: 'field' }, h('label', { for: 'upload-file' }, 'Guideline PDF'), file, chosen),
      h('div', { class: 'field' }, h('label', { for: 'upload-name' }, 'Lender name'), name),
      h('button', { type: 'submit', class: 'primary' }, 'Upload')));
  const form = h('form', { class: 'card upload', 'aria-labelledby': 'upload-title' },
    h('h2', { id: 'upload-title' }, 'Upload guidelines'), zone, error, uploads);

  const picked = () => {
    const f = file.files[0];
    chosen.textContent = f ? `${f.name} (${Math.ceil(f.size / 1024)} KB)` : '';
    if (f && !name.value.trim()) name.value = f.name.replace(/\.[^.]+$/, '').replace(/[_-]+/g, ' ');
  };
  file.addEventListener('change', picked);
  zone.addEventListener('dragover', (event) => { event.preventDefault(); zone.classList.add('dragging'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    if (event.dataTransfer.files.length) {
      file.files = event.dataTransfer.files;
      picked();
      name.focus();
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    put(error);
    const body = new FormData();
    body.set('name', name.value.trim());
    body.set('file', file.files[0]);
    try {
      const accepted = await api('/api/lenders/upload', { method: 'POST', form: body });
      const item = h('li', {}, `${name.value.trim()}: `, badge(accepted.status));
      uploads.prepend(item);
      form.reset();
      chosen.textContent = '';
      follow(ctx, accepted.lender_id, item);
    } catch (failure) {
      put(error, notice('error', `Upload failed: ${failure.message}`));
    }
  });
  return form;
}

/** Polls the uploaded lender until it is active or failed, showing each status as it comes. */
function follow(ctx, lenderId, item) {
  ctx.every(1000, async () => {
    const lender = await api(`/api/lenders/${lenderId}`);
    const done = !['pending', 'processing'].includes(lender.status);
    put(item, h('a', { href: `#/lenders/${lenderId}` }, lender.name), ': ', badge(lender.status),
      lender.error ? h('span', { class: 'row-error' }, ` ${lender.error}`) : null);
    if (done && ctx.reloadLenders) ctx.reloadLenders();
    return !done;
  });
}

/** Lenders flagged for review, oldest first, with their warning counts. */
export async function reviewPage(ctx) {
  ctx.main.append(title('Review queue'),
    h('p', { class: 'lead' }, 'Lenders whose reading left warnings: active, but flagged until an operator approves or corrects their criteria.'));
  const data = await api('/api/lenders?review=required&limit=1000');
  if (ctx.left) return;
  // the server lists only the lenders awaiting review, the longest waiting first
  const flagged = data.lenders;
  if (!flagged.length) {
    ctx.main.append(notice('info', 'No lender waits for review.'));
    return;
  }
  // warning counts come with the list when the server sends them, else from each lender
  await Promise.all(flagged.map(async (lender) => {
    if (lender.warning_count === undefined && !Array.isArray(lender.warnings)) {
      const detail = await api(`/api/lenders/${lender.lender_id}`);
      lender.warnings = detail.warnings || [];
    }
  }));
  if (ctx.left) return;
  ctx.main.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'review-table' },
    h('caption', {}, `${flagged.length} lender${flagged.length === 1 ? '' : 's'} to review, oldest first`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Lender'), h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col', class: 'num' }, 'Warnings'), h('th', { scope: 'col' }, 'Waiting since'),
      h('th', { scope: 'col' }, 'Criteria source'))),
    h('tbody', {}, flagged.map((lender) => h('tr', {},
      h('td', {}, h('a', { href: `#/lenders/${lender.lender_id}` }, lender.name)),
      h('td', {}, badge(lender.status), ' ', badge('review', 'needs review')),
      h('td', { class: 'num' }, lender.warning_count ?? lender.warnings.length),
      h('td', {}, ago(lender.review_requested_at)),
      h('td', {}, SOURCES[lender.criteria_source] || lender.criteria_source || '—')))))));
}
