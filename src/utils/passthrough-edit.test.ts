import { applyPatch, deepClone } from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { effectivePolicy } from '@userns-builds/core';
import type { BuildPolicy } from '@userns-builds/core';
import dockerBC from '../__fixtures__/buildconfig-docker.json';
import sourceBC from '../__fixtures__/buildconfig-source-unprivileged.json';
import passthroughPolicy from '../__fixtures__/build-policy-passthrough.json';
import type { BuildConfigLike } from './buildconfig-toggle';
import {
  annotationOperations,
  annotationsWithDraft,
  draftDrops,
  draftFrom,
  passthroughKeys,
} from './passthrough-edit';

const fresh = (bc: unknown) => deepClone(bc) as BuildConfigLike;
const policy = () => effectivePolicy((deepClone(passthroughPolicy) as BuildPolicy).spec);
const serverApply = (bc: BuildConfigLike, ops: unknown[]) =>
  applyPatch(deepClone(bc), ops as Operation[], true, false).newDocument as BuildConfigLike;

it('lists each allowed key once and drafts their current values', () => {
  const keys = passthroughKeys(policy());
  expect(keys).toEqual(['io.kubernetes.cri-o.userns-mode', 'example.com/team']);
  expect(draftFrom(fresh(sourceBC), keys)).toEqual({
    'io.kubernetes.cri-o.userns-mode': '',
    'example.com/team': 'payments',
  });
  expect(passthroughKeys(undefined)).toEqual([]);
});

it("reports core's reason for a value that maps onto host root, and none for a safe one", () => {
  const bc = fresh(sourceBC);
  expect(
    draftDrops(policy(), bc, { 'io.kubernetes.cri-o.userns-mode': 'auto:uidmapping=0:0:65536' }),
  ).toEqual({
    'io.kubernetes.cri-o.userns-mode': expect.stringMatching(/onto host UID 0/),
  });
  expect(
    draftDrops(policy(), bc, { 'io.kubernetes.cri-o.userns-mode': 'auto:size=65536' }),
  ).toEqual({});
  expect(
    draftDrops(policy(), bc, {
      'io.kubernetes.cri-o.userns-mode': 'auto:size=65536;map-to-root=true',
    }),
  ).toEqual({});
});

it('patches only the drafted keys, after testing the annotations it read', () => {
  const bc = fresh(sourceBC);
  const draft = { 'io.kubernetes.cri-o.userns-mode': 'auto:size=65536', 'example.com/team': '' };
  const ops = annotationOperations(bc, draft);
  expect(ops).toEqual([
    { op: 'test', path: '/metadata/annotations', value: { 'example.com/team': 'payments' } },
    {
      op: 'add',
      path: '/metadata/annotations/io.kubernetes.cri-o.userns-mode',
      value: 'auto:size=65536',
    },
    { op: 'remove', path: '/metadata/annotations/example.com~1team' },
  ]);
  const after = serverApply(bc, ops);
  expect(after.metadata.annotations).toEqual(annotationsWithDraft(bc, draft));
  expect(annotationOperations(after, draft)).toEqual([]);
});

it('a concurrent annotation edit fails the patch', () => {
  const bc = fresh(sourceBC);
  const ops = annotationOperations(bc, { 'example.com/team': 'search' });
  const server = fresh(sourceBC);
  server.metadata.annotations!['other/key'] = 'v';
  expect(() => serverApply(server, ops)).toThrow(
    expect.objectContaining({ name: 'TEST_OPERATION_FAILED' }),
  );
});

it('adds the whole map to a BuildConfig without annotations, guarded by its resourceVersion', () => {
  const bc = fresh(dockerBC);
  delete bc.metadata.annotations;
  const ops = annotationOperations(bc, {
    'example.com/team': 'web',
    'io.kubernetes.cri-o.userns-mode': '',
  });
  expect(ops).toEqual([
    { op: 'test', path: '/metadata/resourceVersion', value: '1201' },
    { op: 'add', path: '/metadata/annotations', value: { 'example.com/team': 'web' } },
  ]);
  expect(serverApply(bc, ops).metadata.annotations).toEqual({ 'example.com/team': 'web' });
});
