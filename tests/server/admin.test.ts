/**
 * The admin import: JSON or CSV, everything checked before anything is
 * written, each error naming the file, the row and the field.
 */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAdmin } from '#server/admin.ts';
import { login } from './support/client.ts';
import { startServer, stopAll, tempDir } from './support/server.ts';

const dirs: string[] = [];
afterAll(() => stopAll(dirs));

async function admin(dir: string, ...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runAdmin(args, { DATA_DIR: dir }, (line) => lines.push(line));
  return { code, out: lines.join('\n') };
}

const UNITS = `id,kind,name,parentId
city,city,示范市,
d1,district,西工区,city
d1-s1,street,凯旋路街道,d1
d1-s1-c1,community,株洲路社区,d1-s1
d1-s1-c1-g1,grid,第一网格,d1-s1-c1
`;

describe('admin import', () => {
  it('imports units and users from CSV and the server lets the users in', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    await writeFile(join(dir, 'units.csv'), UNITS);
    await writeFile(join(dir, 'users.csv'), 'id,name,role,unitId,password\nwang,王伟,grid_worker,d1-s1-c1-g1,"pass,word-1"\nliu,刘芳,street_clerk,d1-s1,clerk-pass-1\n');
    // The real command line, once.
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'server/admin.ts', 'import', join(dir, 'units.csv'), join(dir, 'users.csv'), '--data-dir', dir], {
      cwd: resolve(import.meta.dirname, '../..'),
      encoding: 'utf8',
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stderr).toContain('imported 5 units and 2 users');
    expect((await admin(dir, 'users')).out).toBe('liu\tstreet_clerk\td1-s1\t刘芳\nwang\tgrid_worker\td1-s1-c1-g1\t王伟');
    const server = await startServer({ dataDir: dir, importFixture: false });
    expect(await login(server.url, 'wang', 'pass,word-1')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await server.kill();
  }, 30_000);

  it('names the row and field of every bad row and writes nothing', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    await writeFile(join(dir, 'units.csv'), `${UNITS}d1-s1-c1-g2,grid,第二网格,nowhere\nd1-s9,town,乡,d1\n`);
    await writeFile(
      join(dir, 'users.json'),
      JSON.stringify({
        users: [
          { id: 'ok', name: '好', role: 'grid_worker', unitId: 'd1-s1-c1-g1', password: 'long-enough' },
          { id: 'bad role', name: '坏', role: 'boss', unitId: 'd1', password: 'long-enough' },
          { id: 'misplaced', name: '错', role: 'grid_worker', unitId: 'd1-s1', password: 'short' },
        ],
      }),
    );
    const { code, out } = await admin(dir, 'import', join(dir, 'units.csv'), join(dir, 'users.json'));
    expect(code).toBe(1);
    expect(out).toContain('nothing was written');
    expect(out).toContain('units.csv row 7 (d1-s1-c1-g2): parentId: unknown unit nowhere');
    expect(out).toMatch(/units\.csv row 8 \(d1-s9\): kind: /);
    expect(out).toMatch(/users\.json users\[1\] \(bad role\): id: /);
    expect(out).toMatch(/users\.json users\[1\] \(bad role\): role: /);
    expect(out).toContain('users.json users[2] (misplaced): password: at least 8 characters');
    expect((await admin(dir, 'users')).out).toBe('');
  });

  it('checks a user\'s unit against their role', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const units = UNITS.trim()
      .split('\n')
      .slice(1)
      .map((line) => {
        const [id, kind, name, parentId] = line.split(',');
        return { id, kind, name, parentId: parentId || null };
      });
    const users = [{ id: 'zhou', name: '周敏', role: 'supervisor', unitId: 'd1-s1', password: 'long-enough' }];
    await writeFile(join(dir, 'org.json'), JSON.stringify({ units, users }));
    const { code, out } = await admin(dir, 'import', join(dir, 'org.json'));
    expect(code).toBe(1);
    expect(out).toContain('org.json users[0] (zhou): unitId: a supervisor belongs to a district, but d1-s1 is a street');
  });

  it('prune-index says when there is nothing to delete, and takes no arguments', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    expect(await admin(dir, 'prune-index')).toEqual({ code: 0, out: 'no superseded index generations to delete' });
    const wrong = await admin(dir, 'prune-index', 'street:d1-s1');
    expect(wrong.code).toBe(2);
    expect(wrong.out).toContain('prune-index takes no arguments');
  });
});
