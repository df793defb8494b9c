// `node --import bench/lib/redirect-storage.mjs …`: `@sightline/storage` resolves to the module
// named by BENCH_STORAGE_INDEX (a file URL) instead of the workspace package, so a benchmark can
// run the built server on a modified copy of the storage package (bench/read-model-overhead.mjs).
import { register } from 'node:module';

if (process.env.BENCH_STORAGE_INDEX) register('./redirect-storage-hooks.mjs', import.meta.url, { data: process.env.BENCH_STORAGE_INDEX });
