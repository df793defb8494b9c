// The one test harness for the end-to-end tests (and, through its .mjs parts, the benchmarks):
// the built server as a child process with an explicit engine, free ports, the engines and their
// throwaway databases, private PostgreSQL clusters, and seeded randomness.
export { basic, CLI, cliEnv, freePort, runCli, startServer, type Exit, type ServerOptions, type ServerProcess } from './cli-process.mjs';
export { rng, shuffle } from './random.mjs';
export { startFakeLlm, type FakeLlm, type FakeRequest } from './fake-llm.mjs';
export { createPrivateCluster, findPgBin, type PrivateCluster } from './private-pg.js';
export { createPgTestDatabase, ENGINES, openTestStorage, type Engine, type PgTestDatabase } from '@sightline/storage/testing';
export { until, waitFor } from './wait-for.js';
