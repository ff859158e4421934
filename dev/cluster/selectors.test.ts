import { BUILTINS } from './registry';
import { fieldMatcher, labelMatcher } from './selectors';
import type { KubeObject } from './types';

const obj = (labels: Record<string, string>, extra: Partial<KubeObject> = {}): KubeObject => ({
  metadata: { name: 'x', namespace: 'ns', labels },
  ...extra,
});
const pods = BUILTINS.find((d) => d.resource === 'pods')!;

describe('label selectors on objects', () => {
  it("matches an object's labels", () => {
    expect(labelMatcher('app=web')(obj({ app: 'web' }))).toBe(true);
    expect(labelMatcher('app=web')(obj({ app: 'api' }))).toBe(false);
    expect(labelMatcher('!app')({ metadata: { name: 'bare' } })).toBe(true);
  });

  it('refuses what it cannot parse with a 400 Status naming the term', () => {
    expect(() => labelMatcher('a b c')).toThrow(
      expect.objectContaining({
        code: 400,
        reason: 'BadRequest',
        message: expect.stringContaining("found 'a b c'"),
      }),
    );
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

  it('splits on every comma: parentheses group nothing in a field selector', () => {
    expect(() => fieldMatcher('metadata.name=a(b,c)', pods)).toThrow(
      expect.objectContaining({
        code: 400,
        message: expect.stringContaining("can't understand 'c)'"),
      }),
    );
  });
});
