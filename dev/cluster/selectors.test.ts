import { BUILTINS } from './registry';
import { fieldMatcher, labelMatcher, labelSelectorMatches } from './selectors';
import type { KubeObject } from './types';

const obj = (labels: Record<string, string>, extra: Partial<KubeObject> = {}): KubeObject => ({
  metadata: { name: 'x', namespace: 'ns', labels },
  ...extra,
});
const pods = BUILTINS.find((d) => d.resource === 'pods')!;

describe('label selector strings', () => {
  it.each([
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'api' }, false],
    ['app!=web', {}, true],
    ['app in (web, api),tier', { app: 'api', tier: 'x' }, true],
    ['app notin (web)', { app: 'web' }, false],
    ['!tier', { tier: '' }, false],
    ['app=web,!tier', { app: 'web' }, true],
    ['', { any: 'thing' }, true],
  ])('%s on %j is %s', (selector, labels, expected) => {
    expect(labelMatcher(selector)(obj(labels))).toBe(expected);
  });

  it('rejects what it cannot parse with 400', () => {
    expect(() => labelMatcher('a b c')).toThrow(expect.objectContaining({ code: 400 }));
  });
});

describe('label selector objects', () => {
  it('combines matchLabels and matchExpressions', () => {
    const sel = {
      matchLabels: { team: 'a' },
      matchExpressions: [
        {
          key: 'kubernetes.io/metadata.name',
          operator: 'NotIn' as const,
          values: ['userns-builds'],
        },
      ],
    };
    expect(labelSelectorMatches(sel, { team: 'a', 'kubernetes.io/metadata.name': 'team-a' })).toBe(
      true,
    );
    expect(
      labelSelectorMatches(sel, { team: 'a', 'kubernetes.io/metadata.name': 'userns-builds' }),
    ).toBe(false);
    expect(
      labelSelectorMatches(
        { matchExpressions: [{ key: 'k', operator: 'DoesNotExist' }] },
        { k: '' },
      ),
    ).toBe(false);
  });
});

describe('field selectors', () => {
  it('matches known fields, negations and several terms', () => {
    const running = obj({}, { status: { phase: 'Running' } });
    expect(fieldMatcher('status.phase=Running,metadata.namespace=ns', pods)(running)).toBe(true);
    expect(fieldMatcher('status.phase!=Running', pods)(running)).toBe(false);
  });

  it('refuses unknown fields with 400', () => {
    expect(() => fieldMatcher('spec.nope=1', pods)).toThrow('field label not supported: spec.nope');
  });
});
