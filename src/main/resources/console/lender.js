// One lender: its programs as an editable table (one row per program, one column per criterion), the
// lender-wide exclusions, the document's pages beside them (selecting a value highlights the text it was
// read from, when the server records evidence), warnings, actions, and the criteria version history.
import { api, fieldErrors } from './api.js';
import { h, put, badge, time, ago, notice, title, showFieldError, clearFieldErrors } from './ui.js';

// Known criteria in schema order, with how to edit them; fields the server adds later get a column too.
const PROGRAM_FIELDS = {
  min_fico: ['Min FICO', 'number'], min_paynet: ['Min PayNet', 'number'],
  min_time_in_business_months: ['Min time in business (months)', 'number'],
  min_annual_revenue: ['Min annual revenue ($)', 'number'], min_amount: ['Min amount ($)', 'number'],
  max_amount: ['Max amount ($)', 'number'], max_term_months: ['Max term (months)', 'number'],
  max_equipment_age_years: ['Max equipment age (years)', 'number'],
  allowed_equipment_types: ['Allowed equipment', 'list'], excluded_equipment_types: ['Excluded equipment', 'list'],
  startups_allowed: ['Startups allowed', 'bool'], bankruptcy_lookback_years: ['Bankruptcy look-back (years)', 'number'],
  min_down_payment_pct: ['Min down payment (%)', 'number'], conditions: ['Conditions', 'lines'],
};
const LENDER_FIELDS = {
  excluded_industries: ['Excluded industries', 'list'], excluded_states: ['Excluded states', 'list'],
  allowed_states: ['Allowed states (only these)', 'list'],
};

function kindOf(known, value) {
  if (known) return known[1];
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'number';
  if (Array.isArray(value)) return 'lines';
  if (value !== null && typeof value === 'object') return 'json';
  return 'text';
}

function toText(kind, value) {
  if (value === null || value === undefined) return '';
  if (kind === 'list') return value.join(', ');
  if (kind === 'lines') return value.join('; ');
  if (kind === 'bool') return String(value);
  if (kind === 'json') return JSON.stringify(value);
  return String(value);
}

/** The value to send; text that does not parse is sent as typed, so the API names the problem. */
function fromText(kind, text) {
  const trimmed = text.trim();
  if (!trimmed) return null;
  if (kind === 'number') {
    const plain = trimmed.replace(/[$,\s]/g, '');
    return /^-?\d+(\.\d+)?$/.test(plain) ? Number(plain) : trimmed;
  }
  if (kind === 'list' || kind === 'lines') {
    return trimmed.split(kind === 'list' ? ',' : ';').map((item) => item.trim()).filter(Boolean);
  }
  if (kind === 'bool') return trimmed === 'true';
  if (kind === 'json') {
    try { return JSON.parse(trimmed); } catch { return trimmed; }
  }
  return trimmed;
}

export async function lenderPage(ctx, id) {
  const page = { ctx, id, lender: await api(`/api/lenders/${id}`), pages: null, selected: null };
  if (ctx.left) return;
  const header = h('div', { class: 'page-head' });
  const message = h('div', { class: 'messages', id: 'lender-messages' });
  const editor = h('section', { class: 'criteria', 'aria-labelledby': 'criteria-title' });
  const documentPanel = h('aside', { class: 'document', 'aria-labelledby': 'document-title' });
  const history = h('section', { class: 'history card', 'aria-labelledby': 'history-title' });
  Object.assign(page, { header, message, editor, documentPanel, history });
  ctx.main.append(header, message, h('div', { class: 'split' }, editor, documentPanel), history);
  renderHeader(page);
  renderEditor(page);
  await Promise.all([renderDocument(page), renderHistory(page)]);
  followProcessing(page);
}

function say(page, kind, text) {
  put(page.message, notice(kind, text));
}

async function refresh(page) {
  page.lender = await api(`/api/lenders/${page.id}`);
  renderHeader(page);
}

function renderHeader(page) {
  const { lender } = page;
  const reviewKnown = 'review_required' in lender;
  const act = (label, path, done, cls) => h('button', { type: 'button', class: cls, onclick: async (event) => {
    event.target.disabled = true;
    try {
      await api(`/api/lenders/${lender.lender_id}/${path}`, { method: 'POST' });
      await refresh(page);
      say(page, 'success', done);
      if (path === 'reprocess') followProcessing(page, true);
    } catch (failure) {
      say(page, 'error', `${label} failed: ${failure.message}`);
    } finally {
      event.target.disabled = false;
    }
  } }, label);
  put(page.header, 
    title(lender.name),
    h('p', { class: 'badges' }, badge(lender.status),
      reviewKnown && lender.review_required ? [' ', badge('review', 'needs review')] : null,
      ' ', h('span', { class: 'meta' }, `criteria version ${lender.criteria_version || '—'}`,
        lender.criteria_source ? ` · source ${lender.criteria_source}` : '', ' · updated ', ago(lender.updated_at)),
      lender.run ? [' · ', h('a', { href: `#/runs/${lender.run.run_id}` }, `latest run: ${lender.run.status}`)] : null),
    lender.error ? notice('error', lender.error) : null,
    h('div', { class: 'actions', role: 'group', 'aria-label': 'Lender actions' },
      reviewKnown && lender.review_required ? act('Approve', 'approve', 'Approved: the review flag is cleared.', 'primary') : null,
      lender.document ? act('Reprocess', 'reprocess', 'Reprocessing: the status follows below.') : null,
      lender.status === 'inactive' ? act('Activate', 'activate', 'Activated: the lender is matched again.')
        : act('Deactivate', 'deactivate', 'Deactivated: the lender is left out of matching.')));
}

/** While the lender is pending or processing (after an upload or reprocess), follow it until it settles. */
function followProcessing(page, force) {
  if (!force && !['pending', 'processing'].includes(page.lender.status)) return;
  page.ctx.every(1000, async () => {
    await refresh(page);
    if (['pending', 'processing'].includes(page.lender.status)) return true;
    renderEditor(page);
    page.pages = null;
    await Promise.all([renderDocument(page), renderHistory(page)]);
    return false;
  });
}

function renderEditor(page) {
  const { lender } = page;
  const criteria = lender.criteria || { programs: [] };
  const columns = Object.keys(PROGRAM_FIELDS).filter((f) => f !== 'conditions'
    || criteria.programs.some((p) => 'conditions' in p));
  criteria.programs.forEach((program) => Object.keys(program).forEach((field) => {
    if (field !== 'name' && !columns.includes(field)) columns.push(field);
  }));
  const lenderColumns = Object.keys(LENDER_FIELDS);
  Object.keys(criteria).forEach((field) => {
    if (field !== 'programs' && !lenderColumns.includes(field)) lenderColumns.push(field);
  });
  // rows keep the typed text, and the index of the saved program they came from (for its evidence)
  page.columns = columns;
  page.rows = criteria.programs.map((program, index) => {
    const row = { origin: index, name: program.name || '' };
    columns.forEach((field) => { row[field] = toText(kindOf(PROGRAM_FIELDS[field], program[field]), program[field]); });
    return row;
  });
  page.lenderWide = {};
  lenderColumns.forEach((field) => {
    page.lenderWide[field] = toText(kindOf(LENDER_FIELDS[field], criteria[field]), criteria[field]);
  });
  page.kinds = {};
  columns.forEach((f) => { page.kinds[f] = kindOf(PROGRAM_FIELDS[f], criteria.programs.map((p) => p[f]).find((v) => v !== null && v !== undefined)); });
  lenderColumns.forEach((f) => { page.kinds[f] = kindOf(LENDER_FIELDS[f], criteria[f]); });

  const summary = h('div', { class: 'form-error', id: 'criteria-errors' });
  const table = h('div', { class: 'table-wrap', id: 'programs-wrap' });
  const form = h('form', { id: 'criteria-form', novalidate: true },
    h('h2', { id: 'criteria-title' }, 'Programs'),
    h('p', { class: 'hint' }, 'Edit any value in place. Empty means no limit. Lists are comma-separated; conditions are separated by semicolons. Select a value to see where it was read.'),
    summary, table,
    h('button', { type: 'button', id: 'add-program', onclick: () => {
      page.rows.push({ origin: null, name: `Program ${page.rows.length + 1}` });
      drawPrograms(page, table);
      document.getElementById(`c-${page.rows.length - 1}-name`).focus();
    } }, '+ Add program'),
    h('h2', {}, 'Lender-wide restrictions'),
    h('div', { class: 'lender-wide' }, lenderColumns.map((field) => {
      const input = h('input', { id: `lw-${field}`, 'data-path': field, value: page.lenderWide[field],
        autocomplete: 'off', oninput: (e) => { page.lenderWide[field] = e.target.value; } });
      markEvidence(page, input, field);
      return h('div', { class: 'field' }, h('label', { for: `lw-${field}` }, (LENDER_FIELDS[field] || [field])[0]), input);
    })),
    warnings(page),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'save-criteria' }, 'Save criteria')));
  form.addEventListener('submit', (event) => { event.preventDefault(); save(page, form, summary); });
  form.addEventListener('focusin', (event) => {
    if (event.target.dataset && event.target.dataset.path) selectValue(page, event.target);
  });
  drawPrograms(page, table);
  put(page.editor, form);
}

function drawPrograms(page, wrap) {
  const { columns, rows } = page;
  const label = (field) => (PROGRAM_FIELDS[field] || [field])[0];
  put(wrap, h('table', { class: 'data programs', id: 'programs-table' },
    h('caption', { class: 'visually-hidden' }, 'Programs: one row per program, one column per criterion'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Program'),
      columns.map((field) => h('th', { scope: 'col', title: field }, label(field))),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Remove')))),
    h('tbody', {}, rows.map((row, i) => {
      const rowName = row.name || `Program ${i + 1}`;
      const cell = (field) => {
        const id = `c-${i}-${field}`;
        const evidencePath = row.origin === null ? null : `programs[${row.origin}].${field}`;
        const common = { id, 'data-path': `programs[${i}].${field}`, 'data-evidence': evidencePath,
          'aria-label': `${rowName}: ${field === 'name' ? 'name' : label(field)}` };
        let input;
        if (page.kinds[field] === 'bool') {
          input = h('select', { ...common, onchange: (e) => { row[field] = e.target.value; } },
            h('option', { value: '', selected: row[field] === '' }, '—'),
            h('option', { value: 'true', selected: row[field] === 'true' }, 'yes'),
            h('option', { value: 'false', selected: row[field] === 'false' }, 'no'));
        } else {
          input = h('input', { ...common, value: row[field] ?? '', autocomplete: 'off',
            size: field === 'name' ? 18 : page.kinds[field] === 'number' ? 8 : 16,
            oninput: (e) => { row[field] = e.target.value; } });
        }
        const td = h('td', {}, input);
        markEvidence(page, input, evidencePath, td);
        return td;
      };
      return h('tr', {}, cell('name'), columns.map(cell),
        h('td', {}, h('button', { type: 'button', class: 'link danger', 'aria-label': `Remove ${rowName}`,
          onclick: () => {
            rows.splice(i, 1);
            drawPrograms(page, wrap);
            document.getElementById('add-program').focus();
          } }, 'Remove')));
    }))));
}

function evidenceFor(page, path) {
  const evidence = page.lender.evidence;
  if (!evidence || !path) return [];
  if (evidence[path]) return [evidence[path]];
  // a list edited as one field: the evidence of each of its items
  return Object.entries(evidence).filter(([key]) => key.startsWith(`${path}[`)).map(([, value]) => value);
}

function markEvidence(page, input, path, cell) {
  if (evidenceFor(page, path).some((e) => e && e.page)) (cell || input).classList.add('has-evidence');
}

/** Shows what the selected value was read from: its quoted text highlighted on its page. */
function selectValue(page, input) {
  document.querySelectorAll('.selected-value').forEach((el) => el.classList.remove('selected-value'));
  input.classList.add('selected-value');
  const path = input.dataset.evidence || input.dataset.path;
  const found = evidenceFor(page, path);
  const panel = document.getElementById('evidence');
  if (!panel) return;
  const label = input.getAttribute('aria-label') || input.labels?.[0]?.textContent || path;
  if (page.lender.evidence === undefined) {
    put(panel, h('strong', {}, label), ': this server does not record where values were read from; the pages below are shown as read.');
  } else if (!found.length) {
    put(panel, h('strong', {}, label), ': no evidence recorded for this value (no limit, or added here).');
  } else if (found.every((e) => e === 'manual')) {
    put(panel, h('strong', {}, label), ': entered by an operator.');
  } else {
    const quotes = found.filter((e) => e && e.page);
    put(panel, h('strong', {}, label), ': read from ',
      quotes.map((e, i) => [i ? '; ' : '', `page ${e.page}: `, h('q', {}, e.text)]));
    highlight(page, quotes);
  }
  if (!found.length || found.every((e) => e === 'manual')) highlight(page, []);
}

function quotePattern(text) {
  const words = text.trim().split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(words.join('\\s+'), 'i');
}

/** Where the quote is on the page: the whole quote, else its longest line (a quote may join table cells). */
function find(text, quote) {
  const whole = quotePattern(quote).exec(text);
  if (whole) return whole;
  const lines = quote.split(/\n|\s{3,}|\s*\|\s*/).map((line) => line.trim()).filter((line) => line.length >= 4)
    .sort((a, b) => b.length - a.length);
  for (const line of lines) {
    const found = quotePattern(line).exec(text);
    if (found) return found;
  }
  return null;
}

function highlight(page, quotes) {
  if (!page.pages) return;
  page.boxes = quotes;
  drawBoxes(quotes);
  let first = null;
  page.pages.forEach((p) => {
    const pre = document.getElementById(`page-text-${p.page_number}`);
    if (!pre) return;
    const text = p.text || '';
    const matches = quotes.filter((q) => q.page === p.page_number)
      .map((q) => find(text, q.text)).filter(Boolean).sort((a, b) => a.index - b.index);
    if (!matches.length) {
      put(pre, text);
      return;
    }
    const parts = [];
    let at = 0;
    matches.forEach((m) => {
      if (m.index < at) return;
      parts.push(text.slice(at, m.index));
      const mark = h('mark', { class: 'evidence' }, m[0]);
      first = first || mark;
      parts.push(mark);
      at = m.index + m[0].length;
    });
    parts.push(text.slice(at));
    put(pre, ...parts);
    document.getElementById(`page-details-${p.page_number}`).open = true;
  });
  if (first && !quotes.some((q) => Array.isArray(q.box))) first.scrollIntoView({ block: 'center', inline: 'nearest' });
}

function warnings(page) {
  const list = page.lender.warnings;
  if (!Array.isArray(list) || !list.length) return null;
  return h('section', { class: 'warnings', 'aria-labelledby': 'warnings-title' },
    h('h2', { id: 'warnings-title' }, `Warnings (${list.length})`),
    h('p', { class: 'hint' }, 'Values that failed their checks were dropped; the lender is flagged until approved or corrected.'),
    h('ul', {}, list.map((w) => h('li', {},
      h('code', {}, w.field || '—'), ': ', w.text ? h('q', {}, w.text) : null, ' — ', w.reason || ''))));
}

async function save(page, form, summary) {
  clearFieldErrors(form);
  put(summary);
  const programs = page.rows.map((row) => {
    const program = { name: row.name.trim() };
    page.columns.forEach((field) => {
      const value = fromText(page.kinds[field], row[field] ?? '');
      if (value !== null) program[field] = value;
    });
    return program;
  });
  const criteria = { programs };
  Object.entries(page.lenderWide).forEach(([field, text]) => { criteria[field] = fromText(page.kinds[field], text); });
  const button = document.getElementById('save-criteria');
  button.disabled = true;
  try {
    page.lender = await api(`/api/lenders/${page.id}/criteria`, { method: 'PUT', json: criteria });
    renderHeader(page);
    renderEditor(page);
    await renderHistory(page);
    say(page, 'success', `Saved as criteria version ${page.lender.criteria_version}.`);
  } catch (failure) {
    // the typed values stay in the form; each problem is shown beside its field
    const problems = fieldErrors(failure.message);
    const unplaced = [];
    problems.forEach(([path, text]) => {
      const input = path && inputFor(path);
      if (input) showFieldError(input, text);
      else unplaced.push(text);
    });
    put(summary, notice('error', `Not saved: ${problems.length} problem${problems.length === 1 ? '' : 's'}. `
      + (unplaced.length ? unplaced.join('; ') : 'See the marked fields.')));
    const firstInvalid = form.querySelector('[aria-invalid]');
    if (firstInvalid) firstInvalid.focus();
  } finally {
    button.disabled = false;
  }
}

function inputFor(path) {
  const program = /^programs\[(\d+)\]\.([a-z_]+)/.exec(path);
  if (program) return document.getElementById(`c-${program[1]}-${program[2]}`);
  const field = /^([a-z_]+)/.exec(path);
  return field ? document.getElementById(`lw-${field[1]}`) : null;
}

async function renderDocument(page) {
  const documentId = page.lender.document && page.lender.document.document_id;
  const heading = h('h2', { id: 'document-title' }, 'Document');
  if (!documentId) {
    put(page.documentPanel, heading, h('p', { id: 'evidence', class: 'evidence-panel' },
      'Criteria typed in by an operator: there is no document.'));
    return;
  }
  if (!page.pages) page.pages = (await api(`/api/documents/${documentId}/pages`)).pages;
  put(page.documentPanel, heading,
    h('p', { id: 'evidence', class: 'evidence-panel', 'aria-live': 'polite' },
      page.lender.evidence === undefined ? 'Select a value to see its evidence.'
        : 'Select a value: the text it was read from is highlighted on its page.'),
    h('div', { class: 'pages', tabindex: '0', 'aria-label': 'Document pages' },
      page.pages.length ? page.pages.map((p) => h('section', { class: 'page', 'aria-label': `Page ${p.page_number}` },
        h('h3', {}, `Page ${p.page_number}`, h('span', { class: 'meta' }, p.method === 'ocr' ? ' · OCR' : ' · text layer')),
        h('div', { class: 'page-image', id: `page-image-${p.page_number}` }),
        h('details', { id: `page-details-${p.page_number}`, open: true },
          h('summary', {}, `Text of page ${p.page_number}`),
          h('pre', { id: `page-text-${p.page_number}` }, p.text || ''))))
        : h('p', {}, 'The pages have not been read yet.')));
  drawPages(page, documentId);
}

/** Each PDF page as an image (fetched with the API key, shown from a blob); a text document has none. */
async function drawPages(page, documentId) {
  for (const p of page.pages) {
    let image;
    try {
      image = await api(`/api/documents/${documentId}/pages/${p.page_number}/image`, { blob: true });
    } catch (failure) {
      if (failure.status === 404) return;
      throw failure;
    }
    const slot = document.getElementById(`page-image-${p.page_number}`);
    if (!slot) return;
    const img = h('img', { src: URL.createObjectURL(image), alt: `Page ${p.page_number} as printed` });
    img.addEventListener('load', () => URL.revokeObjectURL(img.src), { once: true });
    put(slot, img);
    // with the page in view, its text is there on demand
    document.getElementById(`page-details-${p.page_number}`).open = false;
    if (page.boxes) drawBoxes(page.boxes);
  }
}

/** Outlines each quoted value's box (PDF points from the page's top-left) on its page image. */
function drawBoxes(quotes) {
  document.querySelectorAll('.box-mark').forEach((mark) => mark.remove());
  let first = null;
  quotes.filter((q) => Array.isArray(q.box) && q.box.length === 4).forEach((q) => {
    const slot = document.getElementById(`page-image-${q.page}`);
    const img = slot && slot.querySelector('img');
    if (!img) return;
    const place = () => {
      // the image has 2 pixels per PDF point
      const width = img.naturalWidth / 2;
      const height = img.naturalHeight / 2;
      const [x0, y0, x1, y1] = q.box;
      const mark = h('div', { class: 'box-mark', 'aria-hidden': 'true' });
      mark.style.left = `${(100 * x0) / width}%`;
      mark.style.top = `${(100 * y0) / height}%`;
      mark.style.width = `${(100 * (x1 - x0)) / width}%`;
      mark.style.height = `${(100 * (y1 - y0)) / height}%`;
      slot.append(mark);
      first = first || mark;
    };
    if (img.complete && img.naturalWidth) place();
    else img.addEventListener('load', place, { once: true });
  });
  if (first) first.scrollIntoView({ block: 'center', inline: 'nearest' });
}

async function renderHistory(page) {
  const data = await api(`/api/lenders/${page.id}/versions`);
  const versions = data.versions;
  const heading = h('h2', { id: 'history-title' }, 'Criteria history');
  if (!versions.length) {
    put(page.history, heading, h('p', {}, 'No criteria version yet.'));
    return;
  }
  const options = (selected) => versions.map((v) => h('option', { value: v.version, selected: v.version === selected },
    `version ${v.version} (${v.source})`));
  const from = h('select', { id: 'diff-from' }, options(versions[Math.min(1, versions.length - 1)].version));
  const to = h('select', { id: 'diff-to' }, options(versions[0].version));
  const changes = h('div', { id: 'diff', 'aria-live': 'polite' });
  const compare = async () => {
    const diff = await api(`/api/lenders/${page.id}/diff?from=${from.value}&to=${to.value}`);
    put(changes, diffTable(diff));
  };
  put(page.history, heading,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'versions-table' },
      h('thead', {}, h('tr', {}, ['Version', 'Source', 'Saved', 'Programs', 'Run'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, versions.map((v) => h('tr', { class: v.current ? 'current' : null },
        h('td', {}, `${v.version}`, v.current ? h('span', { class: 'meta' }, ' (current)') : null),
        h('td', {}, v.source), h('td', {}, time(v.created_at)), h('td', { class: 'num' }, v.program_count),
        h('td', {}, v.run_id ? h('a', { href: `#/runs/${v.run_id}` }, 'run') : '—')))))),
    versions.length > 1 ? h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); compare(); } },
      h('div', { class: 'field' }, h('label', { for: 'diff-from' }, 'Compare'), from),
      h('div', { class: 'field' }, h('label', { for: 'diff-to' }, 'with'), to),
      h('button', { type: 'submit' }, 'Show changes')) : null,
    changes);
  if (versions.length > 1) await compare();
}

function show(value) {
  if (value === null || value === undefined) return h('span', { class: 'meta' }, 'none');
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return value.name ? `program “${value.name}”` : JSON.stringify(value);
  return String(value);
}

function diffTable(diff) {
  if (!diff.changes.length) return h('p', {}, `Versions ${diff.from} and ${diff.to} hold the same criteria.`);
  return h('table', { class: 'data', id: 'diff-table' },
    h('caption', {}, `Changes from version ${diff.from} to version ${diff.to}`),
    h('thead', {}, h('tr', {}, ['Where', 'Change', 'Before', 'After'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, diff.changes.map((c) => h('tr', {},
      h('td', {}, c.program ? `${c.program}` : 'lender-wide', c.field ? [' · ', h('code', {}, c.field)] : null),
      h('td', {}, c.kind), h('td', { class: 'before' }, show(c.from)), h('td', { class: 'after' }, show(c.to))))));
}
