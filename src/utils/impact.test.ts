import { effectivePolicy } from '@userns-builds/core';
import buildConfigs from '../__fixtures__/buildconfigs-impact.json';
import { compareImpact, computeImpact } from './impact';
import type { BuildConfigSlice } from './impact';

const bcs = buildConfigs as BuildConfigSlice[];
const disabled = effectivePolicy({ userNamespaces: { exemptNamespaces: ['legacy-builds'] } });
const enabled = effectivePolicy({
  userNamespaces: { default: 'Enabled', exemptNamespaces: ['legacy-builds'] },
});

const counts = (impact: ReturnType<typeof computeImpact>) =>
  impact.namespaces.map((n) => [n.namespace, n.userNamespaced, n.privileged, n.blocked]);

describe('computeImpact', () => {
  it('counts each BuildConfig by what core decides, per namespace', () => {
    const impact = computeImpact(enabled, bcs);
    expect(counts(impact)).toEqual([
      ['legacy-builds', 0, 1, 0],
      ['team-a', 1, 1, 0],
      ['team-b', 1, 0, 0],
    ]);
    expect(impact.totals).toEqual({ userNamespaced: 2, privileged: 2, blocked: 0 });
    expect(impact.namespaces[0]!.reasons).toEqual([
      { key: 'ExemptNamespace', params: { namespace: 'legacy-builds' } },
    ]);
    // Most frequent reason first: one default decision, one build's own choice.
    expect(impact.namespaces[1]!.reasons.map((r) => r.key).sort()).toEqual([
      'BuildSetsPrivilegedTrue',
      'DefaultEnabled',
    ]);
  });

  it("shows OpenShift's own behaviour without a policy", () => {
    expect(computeImpact(undefined, bcs).totals).toEqual({
      userNamespaced: 1,
      privileged: 3,
      blocked: 0,
    });
  });

  it('makes everything user-namespaced under override Required, except exemptions', () => {
    const required = effectivePolicy({
      userNamespaces: { override: 'Required', exemptNamespaces: ['legacy-builds'] },
    });
    expect(computeImpact(required, bcs).totals).toEqual({
      userNamespaced: 3,
      privileged: 1,
      blocked: 0,
    });
  });

  it('skips BuildConfigs without a namespace, name or build pod', () => {
    expect(computeImpact(enabled, [{ metadata: { name: 'x' } }, {}]).namespaces).toEqual([]);
  });
});

describe('compareImpact', () => {
  it('gives the change per namespace, changed namespaces first', () => {
    const result = compareImpact(computeImpact(disabled, bcs), computeImpact(enabled, bcs));
    expect(result.delta).toEqual({ userNamespaced: 1, privileged: -1, blocked: 0 });
    expect(result.namespaces[0]!.namespace).toBe('team-a');
    expect(result.namespaces[0]!.delta).toEqual({ userNamespaced: 1, privileged: -1, blocked: 0 });
    expect(result.namespaces.slice(1).map((n) => n.delta.userNamespaced)).toEqual([0, 0]);
  });

  it('counts a namespace new to the edited impact from zero', () => {
    const result = compareImpact(
      { namespaces: [], totals: computeImpact(undefined, []).totals },
      computeImpact(enabled, bcs),
    );
    expect(result.namespaces.find((n) => n.namespace === 'team-b')!.delta.userNamespaced).toBe(1);
  });
});
