// The Dockerfile rules that matter, checked without a container engine or hadolint (neither is
// installable here): pinned Red Hat base images, a non-root runtime, exec-form start, no dev
// tooling in the image, and a start command the backend's own config parser accepts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../backend/config';

interface Instruction {
  op: string;
  args: string;
  line: number;
}

function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) return;
    if (!pending) start = i + 1;
    if (line.startsWith('#')) return; // comment inside a continued instruction
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    const whole = pending + line;
    pending = '';
    const [op = '', ...rest] = whole.split(/\s+/);
    out.push({ op: op.toUpperCase(), args: rest.join(' '), line: start });
  });
  return out;
}

const dockerfile = parseDockerfile(readFileSync(join(__dirname, '..', '..', 'Dockerfile'), 'utf8'));
const stages: Instruction[][] = [];
for (const ins of dockerfile) {
  if (ins.op === 'FROM') stages.push([]);
  stages.at(-1)?.push(ins);
}
const runtime = stages.at(-1) ?? [];

test('has a build stage and a runtime stage', () => {
  expect(stages).toHaveLength(2);
});

test.each(dockerfile.filter((i) => i.op === 'FROM').map((i) => [i.line, i.args]))(
  'FROM on line %i is a Red Hat UBI 9 Node.js 20 image pinned by tag and digest',
  (_line, args) => {
    const image = args.split(/\s+/)[0] ?? '';
    expect(image).toMatch(
      /^registry\.access\.redhat\.com\/ubi9\/nodejs-20(-minimal)?:[0-9][\w.-]*@sha256:[0-9a-f]{64}$/,
    );
    expect(image).not.toMatch(/:latest\b/);
  },
);

test('the build stage installs from the lockfile, the runtime stage runs no package manager', () => {
  const runs = (stage: Instruction[]) => stage.filter((i) => i.op === 'RUN').map((i) => i.args);
  expect(runs(stages[0] ?? []).some((r) => r.includes('npm ci'))).toBe(true);
  for (const r of runs(dockerfile)) expect(r).not.toMatch(/npm install|curl .*\|\s*(ba)?sh/);
  expect(runs(runtime)).toEqual([]);
});

test('the runtime stage copies only the runtime tree, never node_modules or sources', () => {
  const copies = runtime.filter((i) => i.op === 'COPY' || i.op === 'ADD');
  expect(copies.map((i) => i.op)).toEqual(['COPY']);
  expect(copies[0]?.args).toMatch(/--from=build\b.*\/opt\/app-root\/runtime\s/);
  expect(dockerfile.filter((i) => i.op === 'ADD')).toEqual([]);
});

test('runs as a non-root numeric user', () => {
  const users = runtime.filter((i) => i.op === 'USER');
  const last = users.at(-1)?.args ?? '';
  expect(last).toMatch(/^\d+$/);
  expect(Number(last)).toBeGreaterThan(0);
});

test('starts in exec form with settings the backend accepts', () => {
  const json = (op: string): string[] => {
    const args = runtime.find((i) => i.op === op)?.args ?? '';
    return JSON.parse(args) as string[];
  };
  const entrypoint = json('ENTRYPOINT');
  const cmd = json('CMD');
  expect(entrypoint).toEqual(['node', '/opt/userns-builds/backend.mjs']);
  const parsed = parseConfig(cmd, {}, { serviceAccountNamespace: () => 'userns-builds' });
  expect(parsed).toMatchObject({
    help: false,
    config: {
      pluginDir: '/opt/userns-builds/plugin',
      cluster: { kind: 'in-cluster' },
      namespace: 'userns-builds',
    },
  });
});
