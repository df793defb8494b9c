import type { DatasetItemUpsert, Storage } from '@sightline/storage';
import type { CopyReport } from './copy-prompts.js';
import { allPages, epochOr } from './paging.js';
import type { SourceClient } from './source-client.js';

interface SourceDataset {
  id: string;
  name: string;
  description?: string | null;
  metadata?: unknown;
  inputSchema?: unknown;
  expectedOutputSchema?: unknown;
  createdAt?: string;
  updatedAt?: string;
}

/** A dataset item as the source answers it: the fields of an upsert, with ISO times. */
type SourceItem = Omit<DatasetItemUpsert, 'projectId' | 'datasetId' | 'at'> & { createdAt?: string; updatedAt?: string };

interface SourceRun {
  id: string;
  name: string;
  description?: string | null;
  metadata?: unknown;
  createdAt?: string;
  datasetRunItems?: SourceRunItem[];
}

interface SourceRunItem {
  id: string;
  datasetItemId: string;
  traceId: string;
  observationId?: string | null;
  createdAt?: string;
}

/** Writes a row created at `created` and last changed at `updated` (two writes when they differ, so both times are the source's). */
async function atBothTimes(created: number, updated: number, write: (at: number) => Promise<unknown>): Promise<void> {
  await write(created);
  if (updated > created) await write(updated);
}

async function copyItem(storage: Storage, projectId: string, datasetId: string, item: SourceItem, report: CopyReport): Promise<void> {
  const created = epochOr(item.createdAt, Date.now());
  await atBothTimes(created, epochOr(item.updatedAt, created), async (at) => {
    const saved = await storage.datasets.upsertItem({
      id: item.id, projectId, datasetId, status: item.status ?? 'ACTIVE', input: item.input, expectedOutput: item.expectedOutput,
      metadata: item.metadata, sourceTraceId: item.sourceTraceId ?? null, sourceObservationId: item.sourceObservationId ?? null, at,
    });
    if ('otherDatasetId' in saved) report.warnings.push(`dataset item ${item.id}: the id belongs to another dataset here; skipped`);
  });
}

/**
 * Copies datasets (ids, descriptions, metadata, schemas), their items (status included; items
 * that only runs name, such as archived ones, are read one by one) and their runs with every run
 * item, through the dataset store. Items are upserted and run items already here are skipped, so a
 * second run changes nothing.
 */
export async function copyDatasets(source: SourceClient, storage: Storage, projectId: string, onCopied: (n: number) => void): Promise<CopyReport> {
  const report: CopyReport = { copied: 0, warnings: [] };
  for await (const d of allPages<SourceDataset>(source, 'v2/datasets')) {
    const created = epochOr(d.createdAt, Date.now());
    let datasetId = d.id;
    await atBothTimes(created, epochOr(d.updatedAt, created), async (at) => {
      const saved = await storage.datasets.upsert({
        id: d.id, projectId, name: d.name, description: d.description ?? null, metadata: d.metadata ?? null,
        inputSchema: d.inputSchema ?? null, expectedOutputSchema: d.expectedOutputSchema ?? null, at,
      });
      datasetId = saved.id;
    });
    const copiedItems = new Set<string>();
    for await (const item of allPages<SourceItem>(source, 'dataset-items', { datasetName: d.name })) {
      await copyItem(storage, projectId, datasetId, item, report);
      copiedItems.add(item.id);
      report.copied++;
      onCopied(1);
    }
    const name = encodeURIComponent(d.name);
    for await (const listed of allPages<SourceRun>(source, `datasets/${name}/runs`)) {
      const run = await source.getOrNull<SourceRun>(`datasets/${name}/runs/${encodeURIComponent(listed.name)}`);
      if (!run) continue;
      const here = await storage.datasets.getRun(projectId, datasetId, run.name);
      const present = new Set(here ? (await storage.datasets.listRunItems(projectId, here.id, { page: 1, limit: 1_000_000 })).rows.map((ri) => ri.id) : []);
      const items = [...(run.datasetRunItems ?? [])].sort((a, b) => epochOr(a.createdAt, 0) - epochOr(b.createdAt, 0));
      if (items.length === 0) report.warnings.push(`dataset run ${d.name}/${run.name}: has no run items; runs are created by their first item, so it was not copied`);
      for (const ri of items) {
        if (present.has(ri.id)) continue;
        if (!copiedItems.has(ri.datasetItemId)) {
          const item = await source.getOrNull<SourceItem>(`dataset-items/${encodeURIComponent(ri.datasetItemId)}`);
          if (item) {
            await copyItem(storage, projectId, datasetId, item, report);
            report.copied++;
            onCopied(1);
          }
          copiedItems.add(ri.datasetItemId);
        }
        await storage.datasets.linkRunItem({
          projectId, datasetId, runId: here?.id ?? run.id, runName: run.name, runDescription: run.description ?? null, runMetadata: run.metadata ?? null,
          itemId: ri.id, datasetItemId: ri.datasetItemId, traceId: ri.traceId, observationId: ri.observationId ?? null, at: epochOr(ri.createdAt, epochOr(run.createdAt, Date.now())),
        });
        report.copied++;
        onCopied(1);
      }
    }
  }
  return report;
}
