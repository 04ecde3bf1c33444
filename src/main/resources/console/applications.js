// Applications: the list, a form with every field (the API's messages shown beside each field), PDF
// upload, and an application's ranked matches with every criterion's reason.
import { api, fieldErrors } from './api.js';
import { h, put, badge, ago, notice, title, number, showFieldError, clearFieldErrors } from './ui.js';

// Every field of a loan application (DOMAIN.md), with its label, input and hint.
const FIELDS = [
  ['business_name', 'Business name', 'text', 'Legal name (required)'],
  ['state', 'State', 'text', 'Two-letter code or name, e.g. TX'],
  ['industry', 'Industry', 'text', 'Free text, e.g. excavation contractor'],
  ['naics', 'NAICS code', 'text', '2 to 6 digits, when known'],
  ['time_in_business_months', 'Time in business (months)', 'number', 'Or give the business start date'],
  ['business_start_date', 'Business start date', 'date', 'Used when time in business is empty'],
  ['annual_revenue', 'Annual revenue ($)', 'number', 'USD a year'],
  ['amount_requested', 'Amount requested ($)', 'number', 'USD'],
  ['term_months', 'Term (months)', 'number', ''],
  ['equipment_type', 'Equipment type', 'text', 'e.g. construction, trucks, medical'],
  ['equipment_year', 'Equipment year', 'number', 'Model year'],
  ['equipment_condition', 'Equipment condition', 'select', ''],
  ['fico', 'FICO', 'number', "Guarantor's personal score, 300–850"],
  ['paynet', 'PayNet', 'number', 'Business score, when known'],
  ['bankruptcy_discharged_years_ago', 'Bankruptcy discharged (years ago)', 'number', 'Empty when never'],
  ['down_payment_pct', 'Down payment (%)', 'number', '0–100'],
];
const MATCH_STATUSES = ['eligible', 'conditional', 'ineligible', 'error'];

export async function applicationsPage(ctx) {
  const list = h('div', { id: 'applications-list', 'aria-live': 'polite' });
  ctx.main.append(title('Applications'),
    h('div', { class: 'actions' }, h('a', { class: 'button primary', href: '#/applications/new' }, 'New application')),
    uploadForm(), list);
  const load = async () => {
    const data = await api('/api/applications');
    if (ctx.left) return false;
    put(list, applicationTable(data.applications));
    return data.applications.some((a) => ['pending', 'matching'].includes(a.status));
  };
  if (await load()) ctx.every(1500, load);
}

function applicationTable(applications) {
  if (!applications.length) return notice('info', 'No applications yet.');
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'applications-table' },
    h('caption', {}, `${applications.length} application${applications.length === 1 ? '' : 's'}, newest first`),
    h('thead', {}, h('tr', {}, ['Application', 'Business', 'Status', 'Source', 'Received', 'Matched']
      .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, applications.map((a) => h('tr', {},
      h('td', {}, h('a', { href: `#/applications/${a.application_id}` }, `#${a.application_id}`)),
      h('td', {}, a.business_name || '—', a.error ? h('div', { class: 'row-error' }, a.error) : null),
      h('td', {}, badge(a.status)), h('td', {}, a.source), h('td', {}, ago(a.created_at)),
      h('td', {}, a.matched_at ? ago(a.matched_at) : '—'))))));
}

function uploadForm() {
  const file = h('input', { id: 'application-file', type: 'file', accept: '.pdf,application/pdf', required: true });
  const error = h('div', { class: 'form-error' });
  const form = h('form', { class: 'card upload drop-zone', 'aria-labelledby': 'application-upload-title' },
    h('h2', { id: 'application-upload-title' }, 'Upload a PDF credit application'),
    h('div', { class: 'field-row' },
      h('div', { class: 'field' }, h('label', { for: 'application-file' }, 'Application PDF (or drop it here)'), file),
      h('button', { type: 'submit' }, 'Upload')), error);
  form.addEventListener('dragover', (event) => event.preventDefault());
  form.addEventListener('drop', (event) => {
    event.preventDefault();
    if (event.dataTransfer.files.length) file.files = event.dataTransfer.files;
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = new FormData();
    body.set('file', file.files[0]);
    try {
      const accepted = await api('/api/applications/upload', { method: 'POST', form: body });
      location.hash = `#/applications/${accepted.application_id}`;
    } catch (failure) {
      put(error, notice('error', `Upload failed: ${failure.message}`));
    }
  });
  return form;
}

export async function applicationForm(ctx) {
  const summary = h('div', { class: 'form-error', id: 'application-errors' });
  const inputs = FIELDS.map(([name, label, type, hint]) => {
    const id = `f-${name}`;
    const described = hint ? `${id}-hint` : null;
    const input = type === 'select'
      ? h('select', { id, name }, h('option', { value: '' }, '—'), h('option', { value: 'new' }, 'new'),
        h('option', { value: 'used' }, 'used'))
      : h('input', { id, name, type: type === 'date' ? 'date' : 'text', autocomplete: 'off',
        inputmode: type === 'number' ? 'decimal' : null, required: name === 'business_name',
        'aria-describedby': described });
    return [name, type, h('div', { class: 'field' }, h('label', { for: id }, label), input,
      hint ? h('span', { class: 'hint', id: described }, hint) : null)];
  });
  const form = h('form', { id: 'application-form', class: 'card grid-form', novalidate: true },
    summary, inputs.map(([, , field]) => field),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create and match')));
  ctx.main.append(title('New application'),
    h('p', { class: 'lead' }, 'Missing fields are not errors: the criteria that need them are unknown, and lenders come out conditional.'),
    form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    put(summary);
    const application = {};
    inputs.forEach(([name, type]) => {
      const text = form.elements[name].value.trim();
      if (!text) return;
      const plain = text.replace(/[$,\s]/g, '');
      // numbers that do not parse go as typed: the API answers which field is wrong
      application[name] = type === 'number' && /^-?\d+(\.\d+)?$/.test(plain) ? Number(plain) : text;
    });
    try {
      const accepted = await api('/api/applications', { method: 'POST', json: application });
      location.hash = `#/applications/${accepted.application_id}`;
    } catch (failure) {
      const problems = fieldErrors(failure.message);
      const unplaced = [];
      problems.forEach(([field, text]) => {
        const input = field && form.elements[field.replace(/\[.*$/, '')];
        if (input) showFieldError(input, text);
        else unplaced.push(text);
      });
      put(summary, notice('error', `The application was not accepted: ${problems.length} problem`
        + `${problems.length === 1 ? '' : 's'}. ${unplaced.length ? unplaced.join('; ') : 'See the marked fields.'}`));
      (form.querySelector('[aria-invalid]') || summary).focus();
    }
  });
}

export async function applicationPage(ctx, id) {
  const head = h('div', { class: 'page-head' });
  const message = h('div', { class: 'messages' });
  const facts = h('section', { class: 'card facts', 'aria-labelledby': 'facts-title' });
  const matches = h('section', { class: 'matches', 'aria-labelledby': 'matches-title' });
  ctx.main.append(head, message, facts, matches);
  const filter = { status: ctx.params.get('status') || '' };
  let shownFor = null;
  const load = async () => {
    const application = await api(`/api/applications/${id}`);
    if (ctx.left) return false;
    const fields = application.application || {};
    put(head, title(fields.business_name || `Application #${id}`),
      h('p', { class: 'badges' }, badge(application.status), ' ',
        h('span', { class: 'meta' }, `application #${id} · ${application.source} · received `, ago(application.created_at),
          application.run ? [' · ', h('a', { href: `#/runs/${application.run.run_id}` }, `latest run: ${application.run.status}`)] : null)),
      application.error ? notice('error', application.error) : null,
      h('div', { class: 'actions' }, h('button', { type: 'button', id: 'rematch', onclick: async () => {
        try {
          await api(`/api/applications/${id}/rematch`, { method: 'POST' });
          put(message, notice('success', 'Matching again against every active lender.'));
          shownFor = null;
          ctx.every(1000, load);
        } catch (failure) {
          put(message, notice('error', `Rematch failed: ${failure.message}`));
        }
      } }, 'Rematch')));
    put(facts, h('h2', { id: 'facts-title' }, 'Application'),
      h('dl', { class: 'facts-list' }, FIELDS.map(([name, label]) => [h('dt', {}, label),
        h('dd', {}, typeof fields[name] === 'number' && name !== 'equipment_year' && name !== 'naics' ? number(fields[name])
          : fields[name] === null || fields[name] === undefined ? '—' : String(fields[name]))])));
    const settled = !['pending', 'matching'].includes(application.status);
    if (settled && shownFor !== application.matched_at) {
      shownFor = application.matched_at;
      const data = await api(`/api/applications/${id}/matches`);
      if (ctx.left) return false;
      renderMatches(ctx, matches, data.matches, filter);
      performance.mark('kaaj:matches-rendered');
    } else if (!settled) {
      put(matches, h('h2', { id: 'matches-title' }, 'Ranked lenders'), notice('info', `Matching is under way (${application.status})…`));
    }
    return !settled;
  };
  if (await load()) ctx.every(1000, load);
}

function renderMatches(ctx, section, all, filter) {
  const counts = Object.fromEntries(MATCH_STATUSES.map((s) => [s, all.filter((m) => m.status === s).length]));
  const select = h('select', { id: 'match-status' }, h('option', { value: '' }, `All (${all.length})`),
    MATCH_STATUSES.map((s) => h('option', { value: s, selected: s === filter.status }, `${s} (${counts[s]})`)));
  const body = h('tbody', {});
  const caption = h('caption', {});
  const draw = () => {
    const shown = filter.status ? all.filter((m) => m.status === filter.status) : all;
    caption.textContent = `${shown.length} of ${all.length} lenders, best first`;
    const rows = document.createDocumentFragment();
    shown.forEach((m) => rows.append(matchRow(m)));
    put(body, rows);
  };
  select.addEventListener('change', () => {
    filter.status = select.value;
    ctx.setQuery({ status: filter.status });
    draw();
  });
  put(section, h('h2', { id: 'matches-title' }, 'Ranked lenders'),
    all.length ? [h('form', { class: 'filters', onsubmit: (e) => e.preventDefault() },
      h('div', { class: 'field' }, h('label', { for: 'match-status' }, 'Show'), select)),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'matches-table' }, caption,
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'num' }, 'Rank'), h('th', { scope: 'col' }, 'Lender'),
        h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Program'), h('th', { scope: 'col', class: 'num' }, 'Score'),
        h('th', { scope: 'col' }, 'Reasons'))), body))]
      : notice('info', 'No active lender was matched.'));
  draw();
}

function matchRow(match) {
  const detailsId = `reasons-${match.lender_id}`;
  const toggle = h('button', { type: 'button', class: 'link', 'aria-expanded': 'false', 'aria-controls': detailsId },
    `Reasons (${(match.criteria || []).length})`);
  const row = h('tr', { 'data-lender-id': match.lender_id },
    h('td', { class: 'num' }, match.rank ?? '—'),
    h('td', {}, h('a', { href: `#/lenders/${match.lender_id}` }, match.lender_name)),
    h('td', {}, badge(match.status)), h('td', {}, match.program || '—'),
    h('td', { class: 'num' }, match.score ?? '—'), h('td', {}, toggle));
  // the reasons are built when first opened: a thousand lenders render at once without them
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') === 'true';
    toggle.setAttribute('aria-expanded', String(!open));
    let details = document.getElementById(detailsId);
    if (open) {
      details.hidden = true;
      return;
    }
    if (!details) {
      details = h('tr', { id: detailsId, class: 'reasons' }, h('td', { colspan: '6' }, reasons(match)));
      row.after(details);
    }
    details.hidden = false;
  });
  return row;
}

function reasons(match) {
  if (match.error) return notice('error', match.error);
  return h('ul', { class: 'criteria-results' }, (match.criteria || []).map((c) => {
    const quote = c.quote || c.guideline_text || (c.evidence && c.evidence.text);
    const page = c.page || (c.evidence && c.evidence.page);
    return h('li', { class: `result-${c.result}` }, badge(c.result === 'pass' ? 'eligible' : c.result === 'fail'
      ? 'ineligible' : 'conditional', c.result), ' ', h('code', {}, c.criterion), ': ', c.reason,
    quote ? h('blockquote', {}, page ? `page ${page}: ` : '', h('q', {}, quote)) : null);
  }));
}
