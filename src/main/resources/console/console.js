// The console's router: #/section/id?query. Each page renders into <main> and registers what it polls,
// so leaving the page stops its timers.
import { h, notice } from './ui.js';
import { lendersPage, reviewPage } from './lenders.js';
import { lenderPage } from './lender.js';
import { applicationsPage, applicationForm, applicationPage } from './applications.js';
import { runsPage, runPage, workersPage } from './runs.js';

let page = null;

/** What a page may use: where to render, the query, and timers that end when the user navigates away. */
class PageContext {
  constructor(main, params) {
    this.main = main;
    this.params = params;
    this.timers = [];
    this.left = false;
  }

  /** Calls fn every ms milliseconds while the page is shown (fn returning false stops it). */
  every(ms, fn) {
    const timer = { id: 0 };
    const tick = async () => {
      if (this.left) return;
      let again = true;
      try {
        again = (await fn()) !== false;
      } catch (error) {
        console.warn('refresh failed', error);
      }
      if (again && !this.left) timer.id = setTimeout(tick, ms);
    };
    timer.id = setTimeout(tick, ms);
    this.timers.push(timer);
  }

  leave() {
    this.left = true;
    this.timers.forEach((timer) => clearTimeout(timer.id));
  }

  /** Replaces the query part of the address without adding a history entry or re-rendering. */
  setQuery(values) {
    const query = new URLSearchParams();
    Object.entries(values).forEach(([key, value]) => {
      if (value !== '' && value !== null && value !== undefined) query.set(key, value);
    });
    const base = location.hash.split('?')[0];
    const text = query.toString();
    history.replaceState(null, '', text ? `${base}?${text}` : base);
  }
}

const ROUTES = [
  [/^\/lenders$/, (ctx) => lendersPage(ctx), 'lenders'],
  [/^\/lenders\/(\d+)$/, (ctx, id) => lenderPage(ctx, id), 'lenders'],
  [/^\/review$/, (ctx) => reviewPage(ctx), 'review'],
  [/^\/applications$/, (ctx) => applicationsPage(ctx), 'applications'],
  [/^\/applications\/new$/, (ctx) => applicationForm(ctx), 'applications'],
  [/^\/applications\/(\d+)$/, (ctx, id) => applicationPage(ctx, id), 'applications'],
  [/^\/runs$/, (ctx) => runsPage(ctx), 'runs'],
  [/^\/runs\/([0-9a-zA-Z-]+)$/, (ctx, id) => runPage(ctx, id), 'runs'],
  [/^\/workers$/, (ctx) => workersPage(ctx), 'workers'],
];

async function render() {
  const hash = location.hash.replace(/^#/, '') || '/lenders';
  const [path, query] = hash.split('?');
  if (page) page.leave();
  const main = document.getElementById('main');
  main.replaceChildren();
  page = new PageContext(main, new URLSearchParams(query || ''));
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  document.querySelectorAll('nav a').forEach((link) => {
    if (route && link.dataset.section === route[2]) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  });
  if (!route) {
    main.append(h('h1', { tabindex: '-1', id: 'page-title' }, 'Not found'),
      notice('error', `There is no page at ${path}.`));
    return;
  }
  const current = page;
  try {
    await route[1](current, ...route[0].exec(path).slice(1));
  } catch (error) {
    if (current.left) return;
    main.append(notice('error', error.message));
  }
  if (!current.left && !main.contains(document.activeElement)) {
    document.getElementById('page-title')?.focus({ preventScroll: true });
  }
}

window.addEventListener('hashchange', render);
if (!location.hash) history.replaceState(null, '', '#/lenders');
render();
