import type { K8sModel } from '@openshift-console/dynamic-plugin-sdk';
import { isModelFlag, modelFlags } from './flags';

const flagExt = (flag: string, model: { group?: string; version?: string; kind: string }) => ({
  type: 'console.flag/model' as const,
  properties: { flag, model },
});

const model = (apiGroup: string | undefined, apiVersion: string, kind: string): K8sModel => ({
  apiGroup,
  apiVersion,
  kind,
  plural: `${kind.toLowerCase()}s`,
  abbr: kind.slice(0, 2),
  label: kind,
  labelPlural: `${kind}s`,
  namespaced: false,
});

describe('modelFlags', () => {
  const models = [
    model('userns.builds.dev', 'v1alpha1', 'BuildPolicy'),
    model('config.openshift.io', 'v1', 'Build'),
  ];

  it('sets a flag when discovery serves its model, and clears it when not', () => {
    expect(
      modelFlags(
        [
          flagExt('POLICY', {
            group: 'userns.builds.dev',
            version: 'v1alpha1',
            kind: 'BuildPolicy',
          }),
          flagExt('ANY_VERSION', { group: 'config.openshift.io', kind: 'Build' }),
          flagExt('WRONG_VERSION', {
            group: 'userns.builds.dev',
            version: 'v1',
            kind: 'BuildPolicy',
          }),
          flagExt('WRONG_GROUP', { group: 'build.openshift.io', kind: 'Build' }),
        ],
        models,
      ),
    ).toEqual({ POLICY: true, ANY_VERSION: true, WRONG_VERSION: false, WRONG_GROUP: false });
  });

  it('is true when any of several extensions for one flag matches', () => {
    expect(
      modelFlags(
        [
          flagExt('F', { group: 'nope.example.com', kind: 'X' }),
          flagExt('F', { group: 'config.openshift.io', kind: 'Build' }),
        ],
        models,
      ),
    ).toEqual({ F: true });
  });

  it('recognises only console.flag/model extensions', () => {
    expect(isModelFlag({ type: 'console.flag/model', properties: {} })).toBe(true);
    expect(isModelFlag({ type: 'console.flag', properties: {} })).toBe(false);
  });
});
