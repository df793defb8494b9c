import { useLocation } from 'wouter';
import { formatTime } from '../../format.js';
import { folderHref, parentFolder, promptHref } from '../../prompts/prompt-links.js';
import { PromptContent } from '../../prompts/PromptContent.js';
import { PromptDiff } from '../../prompts/PromptDiff.js';
import { PromptEditor } from '../../prompts/PromptEditor.js';
import { PromptMetrics } from '../../prompts/PromptMetrics.js';
import { usePromptRights } from '../../prompts/use-prompt-role.js';
import { VersionActions } from '../../prompts/VersionActions.js';
import { CommentThread } from '../../annotate/CommentThread.js';
import { query } from '../../api.js';
import { useFetch } from '../../use-fetch.js';
import { useUrlState } from '../../url-state.js';
import type { PromptHistoryResponse, PromptVersionView } from '../../types.js';
import { FolderCrumbs } from './FolderCrumbs.js';
import { LabelChips } from './LabelChips.js';

type Tab = 'version' | 'diff' | 'new' | 'metrics';
const TABS: [Tab, string][] = [
  ['version', 'Version'],
  ['diff', 'Compare'],
  ['metrics', 'Metrics'],
  ['new', 'New version'],
];

/** One prompt: its versions on the left; the selected version, a diff, its metrics or a new version on the right (all in the URL). */
export function PromptPage({ projectId, name }: { projectId: string; name: string }) {
  const [params, set] = useUrlState();
  const [, navigate] = useLocation();
  const { canWrite, canAdmin } = usePromptRights(projectId);
  const history = useFetch<PromptHistoryResponse>(`/projects/${projectId}/prompts/history${query({ name })}`);
  const versions = history.data?.versions ?? [];
  const tab: Tab = TABS.find(([t]) => t === params.get('view'))?.[0] ?? 'version';
  const selected: PromptVersionView | undefined = versions.find((v) => String(v.version) === params.get('version')) ?? versions[0];
  const folder = parentFolder(name);

  if (history.error) {
    return (
      <section className="page">
        <FolderCrumbs projectId={projectId} folder={folder} />
        <h1>Prompt not found</h1>
        <p className="error">{history.error}</p>
      </section>
    );
  }
  const diffFrom = Number(params.get('from')) || (versions[1] ?? versions[0])?.version || 0;
  const diffTo = Number(params.get('to')) || versions[0]?.version || 0;
  return (
    <section className="page prompt-page">
      <header className="page-head">
        <div>
          <FolderCrumbs projectId={projectId} folder={folder} leaf={name.slice(folder ? folder.length + 1 : 0)} />
          <h1>{name}</h1>
          {history.data && (
            <span className="chips">
              <span className="chip">{history.data.type}</span>
              {history.data.tags.map((t) => (
                <span key={t} className="chip tag">
                  {t}
                </span>
              ))}
            </span>
          )}
        </div>
      </header>
      {!history.data ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className="split">
          <ol className="split-left version-list" aria-label="Versions">
            {versions.map((v) => (
              <li key={v.version}>
                <button type="button" className={v.version === selected?.version ? 'selected' : ''} aria-current={v.version === selected?.version} onClick={() => set({ version: String(v.version), view: tab === 'version' || tab === 'metrics' ? params.get('view') : null })}>
                  <strong>v{v.version}</strong> <LabelChips labels={v.labels} />
                  {v.commitMessage && <span className="commit">{v.commitMessage}</span>}
                  <span className="muted small">
                    {v.createdBy} · {formatTime(v.createdAt)}
                  </span>
                </button>
              </li>
            ))}
          </ol>
          <div className="split-right">
            <div className="tabs" role="tablist">
              {TABS.filter(([t]) => t !== 'new' || canWrite).map(([t, label]) => (
                <button key={t} type="button" role="tab" aria-selected={tab === t} onClick={() => set({ view: t === 'version' ? null : t }, true)}>
                  {label}
                </button>
              ))}
            </div>
            {tab === 'version' && selected && (
              <div aria-label="Selected version">
                <h2>
                  Version {selected.version} <LabelChips labels={selected.labels} />
                </h2>
                <p className="muted small">
                  {selected.createdBy} · {formatTime(selected.createdAt)}
                  {selected.commitMessage ? ` · ${selected.commitMessage}` : ''}
                </p>
                <VersionActions
                  key={selected.version}
                  projectId={projectId}
                  name={name}
                  version={selected}
                  canWrite={canWrite}
                  canAdmin={canAdmin}
                  onChanged={history.reload}
                  onDeleted={(all) => (all ? navigate(folderHref(projectId, folder)) : (set({ version: null }), history.reload()))}
                />
                <PromptContent version={selected} />
                <CommentThread key={selected.id} projectId={projectId} objectType="PROMPT" objectId={selected.id} />
              </div>
            )}
            {tab === 'diff' && <PromptDiff versions={versions} from={diffFrom} to={diffTo} onChange={(from, to) => set({ from: String(from), to: String(to) }, true)} />}
            {tab === 'metrics' && selected && <PromptMetrics projectId={projectId} name={name} version={selected.version} />}
            {tab === 'new' && canWrite && (
              <PromptEditor
                key={selected?.version}
                projectId={projectId}
                name={name}
                type={history.data.type}
                base={selected}
                onCreated={(_, version) => {
                  history.reload();
                  navigate(promptHref(projectId, name, { version }));
                }}
              />
            )}
          </div>
        </div>
      )}
    </section>
  );
}
