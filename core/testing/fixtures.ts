// Test support (never imported by core itself): fixtures read fresh from disk for every call, so
// no test can leak a mutation into another, and patches applied with a real RFC 6902 library.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPatch, deepClone } from 'fast-json-patch';
import type { DecisionSource } from '../decision';
import type { Build, BuildPolicySpec, EnvVar, PatchOperation, Pod } from '../types';

export const BUILD_POD_FIXTURES = [
  'docker-privileged',
  'docker-unprivileged',
  'docker-extract',
  'source',
  'source-extract',
  'custom',
] as const;
export type BuildPodFixture = (typeof BUILD_POD_FIXTURES)[number];
export type PodFixture = BuildPodFixture | 'not-build-pod';

const FIXTURE_DIR = join(__dirname, '..', 'fixtures');

export function loadPod(name: PodFixture): Pod {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.json`), 'utf8')) as Pod;
}

/** The Build a fixture pod carries in its BUILD env var. */
export function buildOf(pod: Pod): Build {
  const env = pod.spec.containers[0]?.env?.find((e) => e.name === 'BUILD');
  return JSON.parse(env?.value ?? 'null') as Build;
}

/**
 * Rewrites the Build inside every container's BUILD env var, as the build controller would have
 * encoded it, so a fixture can stand for a build with different strategy env or annotations.
 */
export function withBuild(pod: Pod, edit: (build: Build) => void): Pod {
  const build = buildOf(pod);
  edit(build);
  const encoded = JSON.stringify(build);
  for (const container of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
    for (const env of container.env ?? []) if (env.name === 'BUILD') env.value = encoded;
  }
  return pod;
}

/** Replaces the strategy env of the build a pod carries. */
export function withStrategyEnv(pod: Pod, env: EnvVar[]): Pod {
  return withBuild(pod, (build) => {
    const s = build.spec.strategy;
    const strategy = s.dockerStrategy ?? s.sourceStrategy ?? s.customStrategy;
    if (!strategy) throw new Error('fixture build has no strategy');
    strategy.env = env;
  });
}

/** Applies operations to a copy, validating each against the document as RFC 6902 requires. */
export function applyOperations(pod: Pod, operations: PatchOperation[]): Pod {
  return applyPatch(deepClone(pod) as Pod, operations, true, false).newDocument;
}

export function readFixtureText(relative: string): string {
  return readFileSync(join(FIXTURE_DIR, relative), 'utf8');
}

/** One row of the precedence table (fixtures/precedence-cases.json). */
export interface PrecedenceCase {
  name: string;
  /** null: no BuildPolicy exists. */
  spec: BuildPolicySpec | null;
  namespace?: string;
  env: EnvVar[];
  userNamespaces: boolean;
  source: DecisionSource;
  /** A regular expression the first reason must match. */
  reason: string;
}

export function loadPrecedenceCases(): PrecedenceCase[] {
  return JSON.parse(readFixtureText('precedence-cases.json')) as PrecedenceCase[];
}

/** Every build pod strategy, with and without the extract-image-content init container. */
export const STRATEGY_FIXTURES: BuildPodFixture[] = [
  'docker-privileged',
  'docker-extract',
  'source',
  'source-extract',
  'custom',
];
