import { applyPatch, deepClone } from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { effectivePolicy } from '@userns-builds/core';
import type { BuildPolicy } from '@userns-builds/core';
import dockerBC from '../__fixtures__/buildconfig-docker.json';
import sourceBC from '../__fixtures__/buildconfig-source-unprivileged.json';
import customBC from '../__fixtures__/buildconfig-custom-messy-env.json';
import jenkinsBC from '../__fixtures__/buildconfig-jenkins.json';
import fullPolicy from '../__fixtures__/build-policy-full.json';
import requiredPolicy from '../__fixtures__/build-policy-required.json';
import {
  currentSetting,
  previewPolicy,
  saveFailure,
  envWithChoice,
  strategyTarget,
  toggleEffect,
  toggleOperations,
  withChoice,
  TOGGLE_CHOICES,
} from './buildconfig-toggle';
import type { BuildConfigLike, ToggleChoice } from './buildconfig-toggle';

// Fixtures are loaded fresh for every test: nothing one test does leaks into another.
const fresh = (bc: unknown) => deepClone(bc) as BuildConfigLike;

/** What the API server does with the patch: apply in order, a failed `test` aborts it all. */
const serverApply = (bc: BuildConfigLike, ops: unknown[]) =>
  applyPatch(deepClone(bc), ops as Operation[], true, false).newDocument as BuildConfigLike;

const fixtures = { docker: dockerBC, source: sourceBC, custom: customBC };

describe('currentSetting', () => {
  it('reads each strategy as OpenShift does', () => {
    expect(currentSetting(fresh(dockerBC))).toEqual({
      choice: 'Follow',
      unparseable: [],
      entries: 0,
    });
    expect(currentSetting(fresh(sourceBC))).toEqual({ choice: 'On', unparseable: [], entries: 1 });
    // Garbage and valueFrom are skipped; the last parseable entry ("1") wins: privileged.
    expect(currentSetting(fresh(customBC))).toEqual({
      choice: 'Off',
      unparseable: ['yes please', ''],
      entries: 3,
    });
  });

  it('has no target for a Jenkins pipeline', () => {
    expect(strategyTarget(fresh(jenkinsBC))).toEqual({ ok: false, type: 'JenkinsPipeline' });
    expect(() => toggleOperations(fresh(jenkinsBC), 'On')).toThrow(
      /pipeline has no docker, source or custom strategy/,
    );
  });
});

describe('toggleOperations', () => {
  it('adds env to a strategy without one, testing the strategy section first', () => {
    const bc = fresh(dockerBC);
    expect(toggleOperations(bc, 'On')).toEqual([
      {
        op: 'test',
        path: '/spec/strategy/dockerStrategy',
        value: { dockerfilePath: 'Dockerfile' },
      },
      {
        op: 'add',
        path: '/spec/strategy/dockerStrategy/env',
        value: [{ name: 'BUILD_PRIVILEGED', value: 'false' }],
      },
    ]);
    expect(toggleOperations(bc, 'Follow')).toEqual([]);
  });

  it('replaces the one entry in place and keeps the other variables', () => {
    const ops = toggleOperations(fresh(sourceBC), 'Off');
    expect(ops).toEqual([
      {
        op: 'test',
        path: '/spec/strategy/sourceStrategy/env',
        value: sourceBC.spec.strategy.sourceStrategy.env,
      },
      {
        op: 'replace',
        path: '/spec/strategy/sourceStrategy/env/0',
        value: { name: 'BUILD_PRIVILEGED', value: 'true' },
      },
    ]);
    expect(toggleOperations(fresh(sourceBC), 'On')).toEqual([]);
  });

  it('removes every entry, last first, to follow the cluster', () => {
    const ops = toggleOperations(fresh(customBC), 'Follow');
    expect(ops.map((o) => `${o.op} ${o.path}`)).toEqual([
      'test /spec/strategy/customStrategy/env',
      'remove /spec/strategy/customStrategy/env/4',
      'remove /spec/strategy/customStrategy/env/2',
      'remove /spec/strategy/customStrategy/env/0',
    ]);
  });

  it.each(
    Object.entries(fixtures).flatMap(([name, bc]) =>
      TOGGLE_CHOICES.map((choice) => [name, choice, bc] as const),
    ),
  )(
    '%s → %s: the server ends with exactly the chosen setting and nothing else changed',
    (_n, choice, raw) => {
      const bc = fresh(raw);
      const after = serverApply(bc, toggleOperations(bc, choice));
      expect(currentSetting(after).choice).toBe(choice);
      expect(after).toEqual(withChoice(bc, choice));
      // Only the strategy env differs.
      const strip = (o: BuildConfigLike) => {
        const c = deepClone(o) as BuildConfigLike & {
          spec: Record<string, Record<string, Record<string, unknown>>>;
        };
        for (const s of Object.values(c.spec.strategy ?? {}))
          if (s && typeof s === 'object') delete s.env;
        return c;
      };
      expect(strip(after)).toEqual(strip(bc));
      // Applying the same choice again changes nothing.
      expect(toggleOperations(after, choice)).toEqual([]);
    },
  );

  it.each<[string, unknown, ToggleChoice]>([
    ['docker', dockerBC, 'Off'],
    ['source', sourceBC, 'Off'],
    ['custom', customBC, 'On'],
  ])(
    '%s: a concurrent edit of the env makes the patch fail instead of clobbering it',
    (_n, raw, choice) => {
      const seen = fresh(raw);
      const ops = toggleOperations(seen, choice);
      // Someone else adds a variable after the user opened the page.
      const server = withChoice(fresh(raw), 'Follow');
      const key = strategyTarget(server);
      if (!key.ok) throw new Error('fixture has a strategy');
      const section = (server.spec!.strategy as unknown as Record<string, { env?: unknown[] }>)[
        key.key
      ]!;
      section.env = [...(section.env ?? []), { name: 'EXTRA', value: '1' }];
      expect(() => serverApply(server, ops)).toThrow(
        expect.objectContaining({ name: 'TEST_OPERATION_FAILED' }),
      );
    },
  );
});

describe('envWithChoice', () => {
  it('puts the entry where the first one was', () => {
    expect(envWithChoice(customBC.spec.strategy.customStrategy.env, 'On')).toEqual([
      { name: 'BUILD_PRIVILEGED', value: 'false' },
      { name: 'HTTP_PROXY', value: 'http://proxy:3128' },
      { name: 'BUILD_LOGLEVEL', value: '2' },
    ]);
  });
});

describe('toggleEffect', () => {
  const policy = (p: unknown) => effectivePolicy((p as BuildPolicy).spec);

  it('gives each choice its decision under a policy that lets builds choose', () => {
    const { decisions, moot } = toggleEffect(policy(fullPolicy), fresh(dockerBC));
    expect(moot).toBeUndefined();
    expect([decisions.Follow.source, decisions.Follow.userNamespaces]).toEqual(['Default', true]);
    expect([decisions.On.source, decisions.On.userNamespaces]).toEqual(['Build', true]);
    expect([decisions.Off.source, decisions.Off.userNamespaces]).toEqual(['Build', false]);
  });

  it('is moot under override: Required — every choice runs user-namespaced', () => {
    const { decisions, moot } = toggleEffect(policy(requiredPolicy), fresh(customBC));
    expect(moot).toEqual({ why: 'Override' });
    expect(TOGGLE_CHOICES.map((c) => decisions[c].userNamespaces)).toEqual([true, true, true]);
  });

  it('says an exempt namespace is left to OpenShift: follow means privileged', () => {
    const bc = fresh(dockerBC);
    bc.metadata.namespace = 'legacy-builds';
    const { decisions, moot } = toggleEffect(policy(fullPolicy), bc);
    expect(moot).toEqual({ why: 'Exempt', system: false });
    expect(TOGGLE_CHOICES.map((c) => decisions[c].userNamespaces)).toEqual([false, true, false]);
    bc.metadata.namespace = 'openshift-config';
    expect(toggleEffect(policy(fullPolicy), bc).moot).toEqual({ why: 'Exempt', system: true });
  });

  it('without a BuildPolicy, OpenShift alone decides', () => {
    const { decisions, moot } = toggleEffect(undefined, fresh(dockerBC));
    expect(moot).toEqual({ why: 'NoPolicy' });
    expect(decisions.Follow.userNamespaces).toBe(false);
    expect(decisions.On.userNamespaces).toBe(true);
  });
});

describe('saveFailure', () => {
  const http = (code: number, message: string) => Object.assign(new Error(message), { code });
  it('calls 409 and 422 a conflict, 403 forbidden, the rest an error', () => {
    expect(saveFailure(http(422, 'test failed'))).toEqual({
      kind: 'conflict',
      message: 'test failed',
    });
    expect(saveFailure(http(409, 'stale'))).toEqual({ kind: 'conflict', message: 'stale' });
    expect(saveFailure(http(403, 'no'))).toEqual({ kind: 'forbidden', message: 'no' });
    expect(saveFailure(http(500, 'boom'))).toEqual({ kind: 'error', message: 'boom' });
    expect(saveFailure('offline')).toEqual({ kind: 'error', message: 'offline' });
  });

  it('calls a 422 that names a field invalid input, not a conflict', () => {
    const invalid = Object.assign(http(422, 'Error "Too long" for field "metadata.annotations".'), {
      json: { details: { causes: [{ field: 'metadata.annotations', message: 'Too long' }] } },
    });
    expect(saveFailure(invalid).kind).toBe('error');
  });
});

describe('previewPolicy', () => {
  it('fills defaults of a loaded policy; absent means none; errors and loading pass through', () => {
    const p = previewPolicy({ state: 'loaded', policy: deepClone(requiredPolicy) as BuildPolicy });
    expect(p).toEqual({
      state: 'ready',
      policy: expect.objectContaining({ passthroughAnnotations: [] }),
    });
    expect(previewPolicy({ state: 'absent', why: 'NotInstalled' })).toEqual({
      state: 'ready',
      policy: undefined,
    });
    expect(previewPolicy({ state: 'error', status: 500, message: 'boom' })).toEqual({
      state: 'error',
      message: 'boom',
    });
    expect(previewPolicy({ state: 'loading' })).toEqual({ state: 'loading' });
  });
});
