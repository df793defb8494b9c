import { useState, type FormEvent } from 'react';
import { api, ApiError, query } from '../api.js';
import type { PromptVersionResponse, PromptVersionView } from '../types.js';
import { parseLabels } from './chat-draft.js';

const PRODUCTION = 'production';

/**
 * Moving labels onto a version and deleting it. Members add labels; `production` and deletion
 * are for admins and owners, whose buttons nobody else sees. Each asks for a confirmation.
 */
export function VersionActions(props: {
  projectId: string; name: string; version: PromptVersionView; canWrite: boolean; canAdmin: boolean; onChanged(): void; onDeleted(all: boolean): void;
}) {
  const { projectId, name, version, canWrite, canAdmin } = props;
  const [labels, setLabels] = useState('');
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>, after: () => void) => {
    setError(null);
    try {
      await action();
      after();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  const addLabels = (newLabels: string[]) =>
    run(() => api.post<PromptVersionResponse>(`/projects/${projectId}/prompts/labels`, { name, version: version.version, newLabels }), props.onChanged);

  function promote() {
    if (!window.confirm(`Promote version ${version.version} of ${name} to production? Every client fetching the prompt by default gets this version from now on.`)) return;
    void addLabels([PRODUCTION]);
  }
  function submitLabels(e: FormEvent) {
    e.preventDefault();
    const list = parseLabels(labels);
    if (list.length === 0) return;
    if (list.includes(PRODUCTION) && !window.confirm(`Move the production label to version ${version.version} of ${name}?`)) return;
    void addLabels(list).then(() => setLabels(''));
  }
  function remove(all: boolean) {
    const what = all ? `the prompt ${name} with all its versions` : `version ${version.version} of ${name}`;
    if (!window.confirm(`Delete ${what}? This cannot be undone.`)) return;
    void run(() => api.del(`/projects/${projectId}/prompts${query({ name, version: all ? undefined : version.version })}`), () => props.onDeleted(all));
  }

  if (!canWrite) return null;
  return (
    <div className="version-actions">
      <form className="inline-form" onSubmit={submitLabels}>
        <input aria-label="Add labels" placeholder={canAdmin ? 'Labels, e.g. staging' : 'Labels (not production)'} value={labels} onChange={(e) => setLabels(e.target.value)} />
        <button type="submit">Add labels</button>
        {canAdmin && !version.labels.includes(PRODUCTION) && (
          <button type="button" className="primary" onClick={promote}>
            Promote to production
          </button>
        )}
        {canAdmin && (
          <>
            <button type="button" className="danger" onClick={() => remove(false)}>
              Delete version
            </button>
            <button type="button" className="danger" onClick={() => remove(true)}>
              Delete prompt
            </button>
          </>
        )}
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
