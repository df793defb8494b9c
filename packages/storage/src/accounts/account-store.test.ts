import { expect, it } from 'vitest';
import type { UserRecord } from '../storage.js';
import { describeEachEngine } from '../testing/each-engine.js';

const person = (id: string, email: string, createdAt = 1_000): UserRecord => ({ id, email, name: null, passwordHash: `scrypt$${id}`, createdAt });

describeEachEngine('account store', (ctx) => {
  it('creates the first user only while none exists, one of two racing sign-ups winning', async () => {
    expect(await ctx.storage.accounts.countUsers()).toBe(0);
    const won = await Promise.all([
      ctx.storage.accounts.createUser(person('first-a', 'a@example.com'), { onlyIfFirst: true }),
      ctx.storage.accounts.createUser(person('first-b', 'b@example.com'), { onlyIfFirst: true }),
    ]);
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await ctx.storage.accounts.countUsers()).toBe(1);
    expect(await ctx.storage.accounts.createUser(person('first-c', 'c@example.com'), { onlyIfFirst: true })).toBe(false);
    expect(await ctx.storage.accounts.createUser(person('second', 'second@example.com'))).toBe(true);
    expect(await ctx.storage.accounts.countUsers()).toBe(2);
  });

  it('stores emails lower-cased, finds them in any case, and changes passwords', async () => {
    await ctx.storage.accounts.createUser({ id: 'u-mixed', email: 'Mixed.Case@Example.COM', name: 'Mixed', passwordHash: 'scrypt$old', createdAt: 5 });
    const stored = { id: 'u-mixed', email: 'mixed.case@example.com', name: 'Mixed', passwordHash: 'scrypt$old', createdAt: 5 };
    expect(await ctx.storage.accounts.getUser('u-mixed')).toEqual(stored);
    expect(await ctx.storage.accounts.findUserByEmail('MIXED.case@example.com')).toEqual(stored);
    expect(await ctx.storage.accounts.findUserByEmail('nobody@example.com')).toBeNull();
    expect(await ctx.storage.accounts.getUser('nope')).toBeNull();
    await ctx.storage.accounts.setPasswordHash('u-mixed', 'scrypt$new');
    expect((await ctx.storage.accounts.getUser('u-mixed'))?.passwordHash).toBe('scrypt$new');
  });

  it('adds memberships, changes their role in place, lists and removes them', async () => {
    await ctx.storage.accounts.createUser({ ...person('m-zoe', 'zoe@example.com'), name: 'Zoe' });
    await ctx.storage.accounts.createUser(person('m-al', 'al@example.com'));
    await ctx.storage.accounts.setMembership({ projectId: 'pm-2', userId: 'm-zoe', role: 'viewer', createdAt: 1 });
    await ctx.storage.accounts.setMembership({ projectId: 'pm-1', userId: 'm-zoe', role: 'owner', createdAt: 1 });
    await ctx.storage.accounts.setMembership({ projectId: 'pm-1', userId: 'm-al', role: 'member', createdAt: 1 });
    // Changing the role keeps when the person joined.
    await ctx.storage.accounts.setMembership({ projectId: 'pm-2', userId: 'm-zoe', role: 'admin', createdAt: 9 });

    expect(await ctx.storage.accounts.listMemberships('m-zoe')).toEqual([
      { projectId: 'pm-1', userId: 'm-zoe', role: 'owner', createdAt: 1 },
      { projectId: 'pm-2', userId: 'm-zoe', role: 'admin', createdAt: 1 },
    ]);
    expect(await ctx.storage.accounts.listMembers('pm-1')).toEqual([
      { projectId: 'pm-1', userId: 'm-al', role: 'member', createdAt: 1, email: 'al@example.com', name: null },
      { projectId: 'pm-1', userId: 'm-zoe', role: 'owner', createdAt: 1, email: 'zoe@example.com', name: 'Zoe' },
    ]);
    // Another project's members and memberships are never returned.
    expect((await ctx.storage.accounts.listMembers('pm-2')).map((x) => x.userId)).toEqual(['m-zoe']);
    expect(await ctx.storage.accounts.listMembers('pm-none')).toEqual([]);
    expect(await ctx.storage.accounts.getMembership('pm-2', 'm-al')).toBeNull();
    expect(await ctx.storage.accounts.getMembership('pm-1', 'm-al')).toMatchObject({ role: 'member' });

    expect(await ctx.storage.accounts.removeMembership('pm-1', 'm-al')).toBe(true);
    expect(await ctx.storage.accounts.removeMembership('pm-1', 'm-al')).toBe(false);
    expect(await ctx.storage.accounts.listMemberships('m-al')).toEqual([]);
  });

  it('keeps sign-in sessions until they expire, are signed out or their user signs out everywhere', async () => {
    const session = (tokenHash: string, userId: string, expiresAt: number) => ({ tokenHash, userId, createdAt: 0, expiresAt });
    for (const s of [session('s-1', 'su-1', 100), session('s-2', 'su-1', 200), session('s-3', 'su-2', 50), session('s-4', 'su-2', 300), session('s-5', 'su-3', 300)]) {
      await ctx.storage.accounts.createSession(s);
    }
    expect(await ctx.storage.accounts.getSession('s-1', 99)).toEqual(session('s-1', 'su-1', 100));
    expect(await ctx.storage.accounts.getSession('s-1', 100)).toBeNull();
    expect(await ctx.storage.accounts.getSession('nope', 0)).toBeNull();

    await ctx.storage.accounts.deleteSession('s-5');
    expect(await ctx.storage.accounts.getSession('s-5', 0)).toBeNull();

    // Signing su-1 out everywhere at 60 also drops s-3, which expired at 50.
    await ctx.storage.accounts.deleteSessionsOfUser('su-1', 60);
    for (const gone of ['s-1', 's-2', 's-3']) expect(await ctx.storage.accounts.getSession(gone, 0)).toBeNull();
    expect(await ctx.storage.accounts.getSession('s-4', 0)).not.toBeNull();

    await ctx.storage.accounts.deleteExpiredSessions(300);
    expect(await ctx.storage.accounts.getSession('s-4', 0)).toBeNull();
  });
});
