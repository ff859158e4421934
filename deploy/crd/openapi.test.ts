import {
  celRules,
  crdValidator,
  evaluateRule,
  structuralProblems,
  toJsonSchema,
  type CrdSchema,
} from './openapi';

const version = (schema: CrdSchema) => ({
  name: 'v1',
  served: true,
  storage: true,
  schema: { openAPIV3Schema: schema },
});

const str: CrdSchema = { type: 'string', maxLength: 10 };

describe('structuralProblems', () => {
  it('accepts a small sane schema', () => {
    expect(
      structuralProblems({
        type: 'object',
        properties: {
          name: str,
          tags: { type: 'array', maxItems: 3, 'x-kubernetes-list-type': 'set', items: str },
          labels: { type: 'object', maxProperties: 4, additionalProperties: str },
        },
      }),
    ).toEqual([]);
  });

  it.each<[string, CrdSchema, string]>([
    [
      'propertyNames',
      { type: 'object', propertyNames: { pattern: 'a' } },
      'propertyNames is not a Kubernetes schema keyword',
    ],
    ['$ref', { type: 'object', $ref: '#/x' }, '$ref is not allowed'],
    ['a missing type', { properties: { a: str } }, 'type is missing'],
    [
      'uniqueItems',
      { type: 'array', maxItems: 1, items: str, uniqueItems: true },
      'uniqueItems: true is not allowed',
    ],
    [
      'additionalProperties: false',
      { type: 'object', additionalProperties: false },
      'additionalProperties: false',
    ],
    [
      'properties beside additionalProperties',
      { type: 'object', maxProperties: 1, properties: { a: str }, additionalProperties: str },
      'mutually exclusive',
    ],
    ['an unbounded array', { type: 'array', items: str }, 'an array needs maxItems'],
    [
      'an unbounded map',
      { type: 'object', additionalProperties: str },
      'a map needs maxProperties',
    ],
    ['an unbounded string', { type: 'string' }, 'a string needs maxLength'],
    [
      'a set of objects',
      { type: 'array', maxItems: 1, 'x-kubernetes-list-type': 'set', items: { type: 'object' } },
      'set needs scalar items',
    ],
    [
      'a list-map without keys',
      { type: 'array', maxItems: 1, 'x-kubernetes-list-type': 'map', items: { type: 'object' } },
      'list-type map needs list-map-keys',
    ],
    [
      'an optional list-map key',
      {
        type: 'array',
        maxItems: 1,
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['k'],
        items: { type: 'object', properties: { k: str } },
      },
      'must be required or defaulted',
    ],
    [
      'a CEL rule without a message',
      { type: 'object', 'x-kubernetes-validations': [{ rule: 'true' }] },
      'has no message',
    ],
  ])('flags %s', (_name, schema, problem) => {
    expect(structuralProblems(schema).join('\n')).toContain(problem);
  });

  it('finds problems deep in the tree, with their path', () => {
    const schema: CrdSchema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: { list: { type: 'array', maxItems: 1, items: { type: 'string' } } },
        },
      },
    };
    expect(structuralProblems(schema)).toEqual([
      '<root>.spec.list[]: a string needs maxLength (or enum, or format)',
    ]);
  });
});

describe('toJsonSchema and crdValidator', () => {
  const schema: CrdSchema = {
    type: 'object',
    'x-kubernetes-validations': [
      { rule: "self.metadata.name == 'one'", message: 'name must be one' },
    ],
    properties: {
      spec: {
        type: 'object',
        properties: {
          name: str,
          free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          tags: { type: 'array', maxItems: 3, 'x-kubernetes-list-type': 'set', items: str },
          items: {
            type: 'array',
            maxItems: 3,
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['k'],
            items: { type: 'object', required: ['k'], properties: { k: str } },
          },
        },
      },
    },
  };
  const { validate } = crdValidator(version(schema));
  const obj = (spec: unknown, name = 'one') => ({
    apiVersion: 'x/v1',
    kind: 'X',
    metadata: { name },
    spec,
  });

  it('accepts a valid object with apiVersion, kind and metadata', () => {
    expect(
      validate(
        obj({
          name: 'a',
          free: { anything: 1 },
          tags: ['a', 'b'],
          items: [{ k: 'a' }, { k: 'b' }],
        }),
      ),
    ).toEqual([]);
  });

  it('refuses unknown fields where the API server would prune them, not under preserve-unknown-fields', () => {
    expect(validate(obj({ nmae: 'a' }))).toEqual([
      { path: '/spec', message: 'must NOT have additional properties' },
    ]);
    expect(toJsonSchema(schema).additionalProperties).toBe(false);
  });

  it('refuses duplicates in a set and duplicate keys in a list-map', () => {
    expect(validate(obj({ tags: ['a', 'a'] })).map((e) => e.path)).toEqual(['/spec/tags']);
    expect(validate(obj({ items: [{ k: 'a' }, { k: 'a' }] })).map((e) => e.path)).toEqual([
      '/spec/items',
    ]);
  });

  it('runs CEL rules and names the rule that failed', () => {
    expect(validate(obj({}, 'two'))).toEqual([
      { path: '', message: 'name must be one', rule: "self.metadata.name == 'one'" },
    ]);
  });

  it('lists every CEL rule with the path it applies to', () => {
    expect(celRules(schema).map((r) => [r.path, r.rule])).toEqual([
      ['<root>', "self.metadata.name == 'one'"],
    ]);
  });
});

describe('evaluateRule', () => {
  it('passes true, fails false with the rule message', () => {
    expect(evaluateRule({ rule: 'self > 1', message: 'too small' }, 2)).toEqual({ ok: true });
    expect(evaluateRule({ rule: 'self > 1', message: 'too small' }, 1)).toEqual({
      ok: false,
      message: 'too small',
    });
  });

  it('counts a rule that cannot be evaluated as a failure, never as a pass', () => {
    const result = evaluateRule({ rule: 'self.noSuchFunction()', message: 'm' }, 'x');
    expect(result.ok).toBe(false);
    expect(evaluateRule({ rule: 'self', message: 'm' }, 'not a bool').ok).toBe(false);
  });
});
