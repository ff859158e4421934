// The journal: every change is on disk without a stop (as after a crash), a big journal is
// folded into a new snapshot in the background, a torn last line is survived, and a journal that
// cannot be read is kept aside rather than lost.
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '../../testing/until';
import { startCluster, type Cluster } from './index';
import { loadState } from './persistence';
import { call } from './test-helpers';

let dir: string;
let cluster: Cluster | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cluster-journal-'));
});
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const pod = (name: string) => ({
  metadata: { name, labels: { padding: 'x'.repeat(60) } },
  spec: { containers: [{ name: 'c', image: 'registry.example.com/app:1' }] },
});

function podNames(stateFile: string): string[] {
  const state = loadState(stateFile);
  return (state?.store.objects.pods ?? [])
    .filter((p) => p.metadata.namespace === 'team-a')
    .map((p) => p.metadata.name ?? '')
    .sort();
}

const journals = () => readdirSync(dir).filter((f) => f.includes('.journal-'));

test('changes reach the disk without a stop, and a big journal becomes a new snapshot', async () => {
  const stateFile = join(dir, 'state.json');
  cluster = await startCluster({
    stateFile,
    seed: { builds: 20 },
    persistence: { compactBytes: 8 * 1024 },
  });
  const firstSnapshot = readFileSync(stateFile, 'utf8');
  const names = Array.from({ length: 60 }, (_, i) => `p-${String(i).padStart(2, '0')}`);
  for (const name of names) {
    expect(
      (await call(cluster, '/api/v1/namespaces/team-a/pods', { method: 'POST', body: pod(name) }))
        .status,
    ).toBe(201);
  }
  await until(
    () => !cluster!.activity().persisting && podNames(stateFile).length === names.length,
    'every pod is in the snapshot plus journal',
  );
  expect(podNames(stateFile)).toEqual(names);
  // The journal outgrew 8 KiB: the snapshot was rewritten in the background, old segments gone.
  expect(readFileSync(stateFile, 'utf8')).not.toBe(firstSnapshot);
  expect(journals().length).toBeLessThanOrEqual(2);
  await cluster.stop();
  cluster = undefined;
  expect(readdirSync(dir)).toEqual(['state.json']);
});

test('a torn last line is skipped; an unreadable journal is kept aside', async () => {
  const stateFile = join(dir, 'state.json');
  cluster = await startCluster({ stateFile, seed: false });
  await call(cluster, '/api/v1/namespaces', {
    method: 'POST',
    body: { metadata: { name: 'team-a' } },
  });
  await call(cluster, '/api/v1/namespaces/team-a/pods', { method: 'POST', body: pod('kept') });
  await until(() => podNames(stateFile).length === 1, 'the pod is journalled');
  const [segment] = journals();
  expect(segment).toBeDefined();
  const path = join(dir, segment!);
  appendFileSync(path, '{"rv": 99999, "type": "ADD');
  expect(podNames(stateFile)).toEqual(['kept']);

  // Simulate a crash: abandon this cluster's files, then damage a line in the middle.
  const copyState = join(dir, 'copy.json');
  writeFileSync(copyState, readFileSync(stateFile));
  const copySegment = `${copyState}.journal-${segment!.split('.journal-')[1]}`;
  writeFileSync(copySegment, `not json\n${readFileSync(path, 'utf8')}`);
  expect(podNames(copyState)).toEqual([]);
  const aside = readdirSync(dir).filter(
    (f) => f.startsWith('copy.json.journal-') && f.includes('.unreadable-'),
  );
  expect(aside).toHaveLength(1);
  expect(readFileSync(join(dir, aside[0]!), 'utf8')).toMatch(/^not json\n/);
});
