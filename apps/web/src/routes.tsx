import { lazy, Suspense, type ComponentType } from 'react';
import type { RouteObject } from 'react-router-dom';
import { App } from './App.js';
import { Loading } from './components/States.js';
import { OverviewView } from './views/overview/OverviewView.js';
import { NotFound } from './views/NotFound.js';

// The overview is in the first bundle; the heavier views load when first visited.
const lazyView = (load: () => Promise<{ default: ComponentType }>, what: string) => {
  const View = lazy(load);
  return (
    <Suspense fallback={<Loading what={what} />}>
      <View />
    </Suspense>
  );
};

export const routes: RouteObject[] = [
  {
    path: '/',
    element: <App />,
    children: [
      { index: true, element: <OverviewView /> },
      {
        path: 'services/:namespace/:name',
        element: lazyView(() => import('./views/service/ServiceView.js'), 'the Service view'),
      },
      { path: 'trace', element: lazyView(() => import('./views/trace/TraceView.js'), 'the trace view') },
      { path: 'nodes/:name', element: lazyView(() => import('./views/node/NodeView.js'), 'the node view') },
      {
        path: 'diagnostics',
        element: lazyView(() => import('./views/diagnostics/DiagnosticsView.js'), 'diagnostics'),
      },
      { path: '*', element: <NotFound /> },
    ],
  },
];
