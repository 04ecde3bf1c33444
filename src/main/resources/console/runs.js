// Runs of both workflows (live while any is under way), a run's steps as a timeline, and the workers with
// the readiness checks.
import { api } from './api.js';
import { h, put, badge, time, ago, duration, notice, title, number } from './ui.js';

const WORKFLOWS = ['lender-processing', 'loan-matching'];
const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const UNDER_WAY = ['queued', 'running'];

export async function runsPage(ctx) {
  const state = { workflow: ctx.params.get('workflow') || '', status: ctx.params.get('status') || '' };
  const workflow = h('select', { id: 'run-workflow' }, h('option', { value: '' }, 'Both workflows'),
    WORKFLOWS.map((w) => h('option', { value: w, selected: w === state.workflow }, w)));
  const status = h('select', { id: 'run-status' }, h('option', { value: '' }, 'Any status'),
    RUN_STATUSES.map((s) => h('option', { value: s, selected: s === state.status }, s)));
  const live = h('span', { class: 'live', id: 'runs-live' });
  const list = h('div', { id: 'runs-list' });
  ctx.main.append(title('Runs'),
    h('form', { class: 'filters', onsubmit: (e) => e.preventDefault() },
      h('div', { class: 'field' }, h('label', { for: 'run-workflow' }, 'Workflow'), workflow),
      h('div', { class: 'field' }, h('label', { for: 'run-status' }, 'Status'), status), live),
    list);
  let shown = null;
  const load = async () => {
    const query = new URLSearchParams({ limit: 100 });
    if (state.workflow) query.set('workflow', state.workflow);
    if (state.status) query.set('status', state.status);
    const data = await api(`/api/runs?${query}`);
    if (ctx.left) return;
    // redrawn only when something changed, so focus and selection in the table survive the refresh
    const seen = JSON.stringify(data);
    if (seen !== shown) put(list, runTable(data));
    shown = seen;
    live.textContent = `Updated ${new Date().toLocaleTimeString()} · refreshes every 2 s`;
  };
  const changed = () => {
    state.workflow = workflow.value;
    state.status = status.value;
    ctx.setQuery(state);
    load();
  };
  workflow.addEventListener('change', changed);
  status.addEventListener('change', changed);
  await load();
  ctx.every(2000, load);
}

function runTable(data) {
  if (!data.runs.length) return notice('info', 'No run matches.');
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'runs-table' },
    h('caption', {}, `${data.runs.length} most recent of ${number(data.total)} runs`),
    h('thead', {}, h('tr', {}, ['Run', 'Workflow', 'For', 'Status', 'Progress', 'Started', 'Duration', 'Error']
      .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, data.runs.map((run) => h('tr', {},
      h('td', {}, h('a', { href: `#/runs/${run.run_id}`, class: 'mono' }, run.run_id.slice(0, 8)),
        run.hatchet_run_id ? h('div', { class: 'meta' }, `Hatchet ${run.hatchet_run_id.slice(0, 8)}`) : null),
      h('td', {}, run.workflow),
      h('td', {}, run.lender_id ? h('a', { href: `#/lenders/${run.lender_id}` }, `lender #${run.lender_id}`)
        : run.application_id ? h('a', { href: `#/applications/${run.application_id}` }, `application #${run.application_id}`) : '—'),
      h('td', {}, badge(run.status)),
      h('td', {}, `${run.steps_done}/${run.steps_total} steps`, run.current_step ? h('div', { class: 'meta' }, run.current_step) : null),
      h('td', {}, ago(run.started_at || run.created_at)),
      h('td', {}, UNDER_WAY.includes(run.status) ? 'under way' : duration(run.duration_ms)),
      h('td', { class: 'row-error' }, run.error || ''))))));
}

export async function runPage(ctx, id) {
  const head = h('div', { class: 'page-head' });
  const timeline = h('ol', { class: 'timeline', id: 'run-steps' });
  ctx.main.append(head, h('h2', {}, 'Steps'), timeline);
  const load = async () => {
    const run = await api(`/api/runs/${id}`);
    if (ctx.left) return false;
    const start = run.started_at ? Date.parse(run.started_at) : null;
    const end = run.finished_at ? Date.parse(run.finished_at) : Date.now();
    const span = start ? Math.max(1, end - start) : 1;
    put(head, title(`Run ${run.run_id.slice(0, 8)}`, h('span', { class: 'meta' }, ` ${run.workflow}`)),
      h('p', { class: 'badges' }, badge(run.status), ' ', h('span', { class: 'meta mono' }, run.run_id)),
      h('dl', { class: 'facts-list' },
        h('dt', {}, 'Event'), h('dd', {}, run.event || '—'),
        h('dt', {}, 'Queued'), h('dd', {}, time(run.created_at)),
        h('dt', {}, 'Started'), h('dd', {}, time(run.started_at)),
        h('dt', {}, 'Finished'), h('dd', {}, time(run.finished_at)),
        h('dt', {}, 'Duration'), h('dd', {}, run.started_at && run.finished_at
          ? duration(Date.parse(run.finished_at) - Date.parse(run.started_at)) : 'under way')),
      run.error ? notice('error', run.error) : null,
      UNDER_WAY.includes(run.status) ? h('p', { class: 'live' }, 'Under way: this page updates every second.') : null);
    put(timeline, ...run.steps.map((step) => {
      const bar = h('div', { class: `bar bar-${step.status}`, 'aria-hidden': 'true' });
      if (start && step.started_at) {
        const from = Date.parse(step.started_at) - start;
        const to = (step.finished_at ? Date.parse(step.finished_at) : Date.now()) - start;
        bar.style.marginLeft = `${Math.max(0, (100 * from) / span)}%`;
        bar.style.width = `${Math.max(0.5, (100 * (to - from)) / span)}%`;
      } else {
        bar.style.width = '0';
      }
      return h('li', { class: `step step-${step.status}`, 'data-step': step.step },
        h('div', { class: 'step-head' }, h('h3', {}, step.step), badge(step.status),
          h('span', { class: 'meta' }, `attempt${step.attempts === 1 ? '' : 's'}: ${step.attempts}`)),
        h('div', { class: 'track' }, bar),
        h('dl', { class: 'facts-list' },
          h('dt', {}, 'Start'), h('dd', {}, time(step.started_at)),
          h('dt', {}, 'End'), h('dd', {}, time(step.finished_at)),
          h('dt', {}, 'Duration'), h('dd', {}, duration(step.duration_ms))),
        step.error ? h('pre', { class: 'step-error', role: 'note' }, step.error) : null,
        step.output ? h('details', {}, h('summary', {}, 'Output'),
          h('pre', { class: 'output' }, JSON.stringify(step.output, null, 2))) : null);
    }));
    return UNDER_WAY.includes(run.status);
  };
  if (await load()) ctx.every(1000, load);
}

export async function workersPage(ctx) {
  const workers = h('section', { 'aria-labelledby': 'workers-title' });
  const health = h('section', { 'aria-labelledby': 'health-title' });
  ctx.main.append(title('Workers & health'), workers, health);
  const load = async () => {
    const [list, ready] = await Promise.all([api('/api/workers'), api('/api/health/ready', { accept: [503] })]);
    if (ctx.left) return;
    put(workers, h('h2', { id: 'workers-title' }, 'Workers'),
      list.workers.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'workers-table' },
        h('thead', {}, h('tr', {}, ['Worker', 'Engine', 'State', 'Slots in use', 'Started', 'Last heartbeat']
          .map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, list.workers.map((w) => h('tr', {},
          h('td', { class: 'mono' }, w.name), h('td', {}, w.engine),
          h('td', {}, w.alive ? badge('alive') : badge('silent', 'not heard from')),
          h('td', {}, h('meter', { min: 0, max: w.slots, value: w.slots_in_use, 'aria-hidden': 'true' }),
            ` ${w.slots_in_use} of ${w.slots}`),
          h('td', {}, time(w.started_at)), h('td', {}, ago(w.last_heartbeat_at)))))))
        : notice('info', 'No worker has reported in the last hour: runs wait in the queue until one starts.'));
    put(health, h('h2', { id: 'health-title' }, 'Readiness (/api/health/ready)'),
      h('p', {}, 'Overall: ', badge(ready.status)),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'health-table' },
        h('thead', {}, h('tr', {}, ['Check', 'Status', 'Detail'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, Object.entries(ready).filter(([, value]) => value && typeof value === 'object')
          .map(([name, check]) => h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, badge(check.status)),
            h('td', {}, [check.detail, check.type && `engine ${check.type}`, check.worker, check.role, check.waiting,
              check.extractor && `extractor ${check.extractor}`, check.model].filter(Boolean).join(' · ') || '—')))))));
  };
  await load();
  ctx.every(3000, load);
}
