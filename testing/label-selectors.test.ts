import { LabelSelectorError, labelSelectorMatches, parseLabelSelector } from './label-selectors';

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
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });

  it('treats missing labels as none', () => {
    expect(parseLabelSelector('app')(undefined)).toBe(false);
    expect(parseLabelSelector('!app')(undefined)).toBe(true);
  });

  it('does not take inherited properties for labels', () => {
    expect(parseLabelSelector('constructor')({})).toBe(false);
    expect(
      labelSelectorMatches({ matchExpressions: [{ key: 'toString', operator: 'Exists' }] }),
    ).toBe(false);
  });

  it('refuses what it cannot parse with its own error, in the API server words', () => {
    expect(() => parseLabelSelector('a b c')).toThrow(LabelSelectorError);
    expect(() => parseLabelSelector('a b c')).toThrow(
      "unable to parse requirement: found 'a b c', expected: in, notin, =, ==, !=, gt, lt",
    );
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

  it('selects everything without a selector and nothing when a label is missing', () => {
    expect(labelSelectorMatches(undefined, {})).toBe(true);
    expect(labelSelectorMatches({ matchLabels: { team: 'a' } })).toBe(false);
    expect(
      labelSelectorMatches({ matchExpressions: [{ key: 'k', operator: 'In', values: ['v'] }] }, {}),
    ).toBe(false);
  });
});
