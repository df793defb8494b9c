import { createPgTestDatabase } from '@sightline/storage/testing';
import { expect, it } from 'vitest';
import { basic, runCli, startServer, type ServerProcess } from './support/index.js';

it('instances starting together on an empty PostgreSQL database all start, sharing one default project and key', async () => {
  const db = await createPgTestDatabase();
  const env = { SIGHTLINE_INIT_PUBLIC_KEY: 'pk-lf-race', SIGHTLINE_INIT_SECRET_KEY: 'sk-lf-race' };
  const servers: ServerProcess[] = [];
  try {
    servers.push(...(await Promise.all([startServer({ databaseUrl: db.url, env }), startServer({ databaseUrl: db.url, env }), startServer({ databaseUrl: db.url, env })])));
    const projects = await runCli(['projects', 'list'], { DATABASE_URL: db.url });
    expect(projects.stdout.trim().split('\n')).toHaveLength(1);
    for (const s of servers) {
      const res = await fetch(`${s.url}/api/public/traces`, { headers: { authorization: basic('pk-lf-race', 'sk-lf-race') } });
      expect(res.status).toBe(200);
    }
  } finally {
    for (const s of servers) {
      s.child.kill('SIGKILL');
      await s.exited;
    }
    await db.drop();
  }
});
