import { lazy, Suspense } from 'react';
import { Redirect, Route, Switch, useRoute } from 'wouter';
import { Layout } from './components/Layout.js';
import { ProjectNotFoundPage } from './pages/ProjectNotFoundPage.js';
import { DatasetPage } from './pages/datasets/DatasetPage.js';
import { DatasetsPage } from './pages/datasets/DatasetsPage.js';
import { EvaluatorsPage } from './pages/evaluators/EvaluatorsPage.js';
import { RulePage } from './pages/evaluators/RulePage.js';
import { CustomDashboardPage } from './pages/dashboards/CustomDashboardPage.js';
import { DashboardsPage } from './pages/dashboards/DashboardsPage.js';
import { PlaygroundPage } from './playground/PlaygroundPage.js';
import { PromptPage } from './pages/prompts/PromptPage.js';
import { PromptsPage } from './pages/prompts/PromptsPage.js';
import { SignInPage } from './pages/SignInPage.js';
import { SessionPage } from './pages/SessionPage.js';
import { SessionsPage } from './pages/SessionsPage.js';
import { SettingsPage } from './pages/SettingsPage.js';
import { TraceLookupPage } from './pages/TraceLookupPage.js';
import { TracePage } from './pages/TracePage.js';
import { TracesPage } from './pages/TracesPage.js';
import { UsersPage } from './pages/UsersPage.js';
import { QueueReviewPage } from './pages/QueueReviewPage.js';
import { QueuesPage } from './pages/QueuesPage.js';
import { ScoresPage } from './pages/ScoresPage.js';
import { UserPage } from './pages/UserPage.js';
import { ObservationsPage } from './pages/ObservationsPage.js';
import { SessionProvider, useSession } from './session.js';

/**
 * Route params arrive through `decodeURI`, which leaves reserved characters (`/`, `?`, `#`…)
 * encoded; ids may contain them, so finish the decoding (or keep the text when it is not valid).
 */
function decode(param: string): string {
  try {
    return decodeURIComponent(param);
  } catch {
    return param;
  }
}

// The overview is only loaded when it is opened.
const DashboardPage = lazy(() => import('./pages/DashboardPage.js'));
// So is the run comparison, which charts score distributions.
const ComparePage = lazy(() => import('./pages/datasets/ComparePage.js'));

/** Langfuse's own trace links, `/project/<pid>/traces/<id>` (and its other pages), map onto ours. */
function LangfuseProjectLink() {
  const { pathname, search } = window.location;
  return <Redirect to={`/p/${pathname.slice('/project/'.length)}${search}`} replace />;
}

function Routes() {
  const { session } = useSession();
  const [, inProject] = useRoute<{ projectId: string }>('/p/:projectId/*?');
  if (!session) return <div className="boot">Loading…</div>;
  if (!session.user) return <SignInPage />;
  const first = session.projects[0];
  const unknownProject = inProject && !session.projects.some((p) => p.id === inProject.projectId) ? inProject.projectId : null;
  return (
    <Layout>
      <Suspense fallback={<div className="loading">Loading…</div>}>
        {unknownProject !== null ? (
          <ProjectNotFoundPage projectId={unknownProject} />
        ) : (
          <Switch>
            <Route path="/p/:projectId/traces/:traceId">{(p) => <TracePage projectId={p.projectId} traceId={decode(p.traceId)} />}</Route>
            <Route path="/p/:projectId/traces">{(p) => <TracesPage projectId={p.projectId} />}</Route>
            <Route path="/p/:projectId/sessions/:sessionId">{(p) => <SessionPage projectId={p.projectId} sessionId={decode(p.sessionId)} />}</Route>
            <Route path="/p/:projectId/sessions">{(p) => <SessionsPage projectId={p.projectId} />}</Route>
            <Route path="/p/:projectId/prompts">{(p) => <PromptsPage projectId={p.projectId} />}</Route>
            {/* Prompt names hold `/` (folders): the name is all the rest of the path. */}
            <Route path="/p/:projectId/prompts/*">{(p) => <PromptPage key={p['*']} projectId={p.projectId} name={decode(p['*'])} />}</Route>
            <Route path="/p/:projectId/playground">{(p) => <PlaygroundPage projectId={p.projectId} />}</Route>
            <Route path="/p/:projectId/datasets/:datasetId/compare">{(p) => <ComparePage projectId={p.projectId} datasetId={decode(p.datasetId)} />}</Route>
            <Route path="/p/:projectId/datasets/:datasetId">{(p) => <DatasetPage key={p.datasetId} projectId={p.projectId} datasetId={decode(p.datasetId)} />}</Route>
            <Route path="/p/:projectId/datasets">{(p) => <DatasetsPage projectId={p.projectId} />}</Route>
            <Route path="/p/:projectId/users">{(p) => <UsersPage projectId={p.projectId} />}</Route>
            <Route path="/p/:projectId/users/:userId">{(p) => <UserPage projectId={p.projectId} userId={decode(p.userId)} />}</Route>
            <Route path="/p/:projectId/observations">{(p) => <ObservationsPage projectId={p.projectId} />}</Route>
            <Route path="/p/:projectId/dashboard">{(p) => <DashboardPage projectId={p.projectId} />}</Route>
            <Route path="/p/:projectId/scores">{(p) => <ScoresPage projectId={p.projectId} />}</Route>
            <Route path="/p/:projectId/queues/:queueId">{(p) => <QueueReviewPage key={p.queueId} projectId={p.projectId} queueId={decode(p.queueId)} />}</Route>
            <Route path="/p/:projectId/queues">{(p) => <QueuesPage projectId={p.projectId} />}</Route>
            <Route path="/p/:projectId/dashboards/:dashboardId">{(p) => <CustomDashboardPage key={p.dashboardId} projectId={p.projectId} dashboardId={decode(p.dashboardId)} />}</Route>
            <Route path="/p/:projectId/dashboards">{(p) => <DashboardsPage projectId={p.projectId} />}</Route>
            <Route path="/p/:projectId/evaluators/rules/:ruleId">{(p) => <RulePage key={p.ruleId} projectId={p.projectId} ruleId={decode(p.ruleId)} />}</Route>
            <Route path="/p/:projectId/evaluators">{(p) => <EvaluatorsPage projectId={p.projectId} />}</Route>
            <Route path="/p/:projectId/settings">{(p) => <SettingsPage projectId={p.projectId} />}</Route>
            <Route path="/settings">
              <SettingsPage projectId={first?.id ?? null} />
            </Route>
            {/* The id is all the rest: the SDK puts it in the link as it is, slashes included. */}
            <Route path="/trace/*">{(p) => <TraceLookupPage traceId={decode(p['*'])} />}</Route>
            <Route path="/project/*">
              <LangfuseProjectLink />
            </Route>
            <Route>{first ? <Redirect to={`/p/${first.id}/traces`} replace /> : <Redirect to="/settings" replace />}</Route>
          </Switch>
        )}
      </Suspense>
    </Layout>
  );
}

export function App() {
  return (
    <SessionProvider>
      <Routes />
    </SessionProvider>
  );
}
