/** Hash routing: `#/notebooks/abc` → { view: 'notebooks', id: 'abc' }; bookmarkable, no server routes needed. */
export const VIEWS = ['notebooks', 'data', 'runs', 'models', 'deployments', 'api', 'settings'] as const;
export type View = (typeof VIEWS)[number];

function parse(hash: string): { view: View; id: string | null } {
  const [, view, id] = hash.replace(/^#/, '').split('/');
  return {
    view: (VIEWS as readonly string[]).includes(view) ? (view as View) : 'notebooks',
    id: id ? decodeURIComponent(id) : null,
  };
}

export const route = $state(parse(location.hash));

window.addEventListener('hashchange', () => Object.assign(route, parse(location.hash)));

export function go(view: View, id: string | null = null): void {
  location.hash = `#/${view}${id ? `/${encodeURIComponent(id)}` : ''}`;
}
