// Impact of a policy before it is saved: for every BuildConfig the admin can list, what core would
// do to its next build pod, counted per namespace. Pure and linear in the number of BuildConfigs.
import {
  BUILD_NAME_ANNOTATION,
  BUILD_NAME_LABEL,
  BUILD_PRIVILEGED_ENV,
  planPodMutation,
  strategyEnv,
} from '@userns-builds/core';
import type {
  Build,
  BuildStrategy,
  EffectivePolicy,
  MutationPlan,
  ObjectMeta,
  Pod,
  ReasonMessage,
} from '@userns-builds/core';

/** The parts of a BuildConfig the impact reads: metadata and the strategy (for its env). */
export interface BuildConfigSlice {
  metadata?: Pick<ObjectMeta, 'name' | 'namespace' | 'annotations'>;
  spec?: { strategy?: Partial<BuildStrategy> };
}

export interface Counts {
  userNamespaced: number;
  privileged: number;
  /** The decision is a user namespace, but the pod cannot take one (core's plan.blocked). */
  blocked: number;
}

export interface NamespaceImpact extends Counts {
  namespace: string;
  /** The distinct first reasons behind this namespace's decisions, most frequent first. */
  reasons: ReasonMessage[];
}

export interface Impact {
  namespaces: NamespaceImpact[];
  totals: Counts;
}

const CONTAINER_FOR_STRATEGY: Record<string, string> = {
  Docker: 'docker-build',
  Source: 'sti-build',
  Custom: 'custom-build',
};

/**
 * The build pod OpenShift would create for the BuildConfig's next build: only what core reads
 * (the build label, the build container, OpenShift's privileged default).
 */
function nextBuildPod(namespace: string, name: string, strategyType: string): Pod {
  const build = `${name}-next`;
  return {
    metadata: {
      name: `${build}-build`,
      namespace,
      labels: { [BUILD_NAME_LABEL]: build },
      annotations: { [BUILD_NAME_ANNOTATION]: build },
    },
    spec: {
      containers: [
        {
          name: CONTAINER_FOR_STRATEGY[strategyType] ?? 'docker-build',
          securityContext: { privileged: true, runAsUser: 0, runAsGroup: 0 },
        },
      ],
    },
  };
}

function emptyCounts(): Counts {
  return { userNamespaced: 0, privileged: 0, blocked: 0 };
}

/** `policy` undefined: no BuildPolicy, so OpenShift alone decides. */
export function computeImpact(
  policy: EffectivePolicy | undefined,
  buildConfigs: readonly BuildConfigSlice[],
): Impact {
  const byNamespace = new Map<string, Counts & { reasonCounts: Map<string, number> }>();
  const totals = emptyCounts();
  // The decision reads only the namespace, the build container and the BUILD_PRIVILEGED entries,
  // so BuildConfigs alike in those share one plan: thousands of them cost a few hundred plans.
  const plans = new Map<string, MutationPlan>();
  for (const bc of buildConfigs) {
    const namespace = bc.metadata?.namespace;
    const name = bc.metadata?.name;
    const strategy = bc.spec?.strategy;
    if (!namespace || !name || !strategy || strategy.type === 'JenkinsPipeline') continue;
    // The next Build carries the BuildConfig's strategy; its own annotations are not known yet.
    const build: Build = { metadata: {}, spec: { strategy: strategy as BuildStrategy } };
    const privileged = (strategyEnv(build) ?? []).filter(
      (e) => typeof e === 'object' && e !== null && e.name === BUILD_PRIVILEGED_ENV,
    );
    const key = JSON.stringify([namespace, strategy.type, privileged]);
    let plan = plans.get(key);
    if (!plan) {
      plan = planPodMutation({
        policy,
        namespace,
        pod: nextBuildPod(namespace, name, String(strategy.type)),
        build,
      });
      plans.set(key, plan);
    }
    let entry = byNamespace.get(namespace);
    if (!entry) {
      entry = { ...emptyCounts(), reasonCounts: new Map() };
      byNamespace.set(namespace, entry);
    }
    const outcome: keyof Counts = plan.blocked
      ? 'blocked'
      : plan.decision.userNamespaces
        ? 'userNamespaced'
        : 'privileged';
    entry[outcome] += 1;
    totals[outcome] += 1;
    const first = plan.decision.messages[0];
    if (first) {
      const key = JSON.stringify(first);
      entry.reasonCounts.set(key, (entry.reasonCounts.get(key) ?? 0) + 1);
    }
  }
  const namespaces = [...byNamespace.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([namespace, { reasonCounts, ...counts }]) => ({
      namespace,
      ...counts,
      reasons: [...reasonCounts.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([key]) => JSON.parse(key) as ReasonMessage),
    }));
  return { namespaces, totals };
}

export interface NamespaceImpactChange extends NamespaceImpact {
  /** Edited minus saved, per outcome. */
  delta: Counts;
}

/** The edited policy's impact next to the saved one's, per namespace, changed namespaces first. */
export function compareImpact(
  saved: Impact,
  edited: Impact,
): {
  namespaces: NamespaceImpactChange[];
  totals: Counts;
  delta: Counts;
} {
  const before = new Map(saved.namespaces.map((n) => [n.namespace, n]));
  const diff = (a: Counts, b: Counts | undefined): Counts => ({
    userNamespaced: a.userNamespaced - (b?.userNamespaced ?? 0),
    privileged: a.privileged - (b?.privileged ?? 0),
    blocked: a.blocked - (b?.blocked ?? 0),
  });
  const changed = (d: Counts) => d.userNamespaced !== 0 || d.privileged !== 0 || d.blocked !== 0;
  const namespaces = edited.namespaces.map((n) => ({
    ...n,
    delta: diff(n, before.get(n.namespace)),
  }));
  namespaces.sort((a, b) => Number(changed(b.delta)) - Number(changed(a.delta)));
  return { namespaces, totals: edited.totals, delta: diff(edited.totals, saved.totals) };
}
