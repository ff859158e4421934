import { dnsLabelErrors, escapePointer, qualifiedNameErrors, utf8Length } from './names';

describe('qualifiedNameErrors', () => {
  it.each([
    'a',
    'io.kubernetes.cri-o.userns-mode',
    'example.com/Name_1.x',
    'a-b.c/d',
    `${'a'.repeat(63)}`,
  ])('accepts %j', (key) => {
    expect(qualifiedNameErrors(key)).toEqual([]);
  });

  it.each([
    ['', /name part must not be empty/],
    ['-a', /start and end/],
    ['a b', /alphanumeric/],
    ['a/b/c', /name part/],
    ['UPPER.case/x', /prefix part must be a lowercase/],
    ['a~b', /name part/],
  ])('rejects %j', (key, why) => {
    expect(qualifiedNameErrors(key).join('; ')).toMatch(why);
  });
});

describe('dnsLabelErrors', () => {
  it('accepts a namespace name and rejects dots and capitals', () => {
    expect(dnsLabelErrors('team-a1')).toEqual([]);
    expect(dnsLabelErrors('team.a')).not.toEqual([]);
    expect(dnsLabelErrors('Team')).not.toEqual([]);
  });
});

describe('utf8Length', () => {
  it.each([
    ['abc', 3],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
  ])('counts %j as %d bytes', (text, bytes) => {
    expect(utf8Length(text)).toBe(bytes);
  });
});

describe('escapePointer', () => {
  it('escapes ~ before / so the two never collide', () => {
    expect(escapePointer('a/b~c~1')).toBe('a~1b~0c~01');
  });
});
