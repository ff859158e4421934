import { validatePolicySpec, type FieldError } from './validate';
import { TOTAL_ANNOTATION_SIZE_MAX } from './names';

function errorsOf(input: unknown): FieldError[] {
  const result = validatePolicySpec(input);
  if (result.ok) throw new Error(`expected errors for ${JSON.stringify(input)}`);
  return result.errors;
}

const paths = (input: unknown) => errorsOf(input).map((e) => e.path);

describe('validatePolicySpec accepts', () => {
  it.each([
    {},
    { userNamespaces: { default: 'Enabled', override: 'None', mode: 'CRIOAnnotation' } },
    { userNamespaces: { override: 'Required', mode: 'Both', exemptNamespaces: ['ci', 'team-a'] } },
    {
      buildDefaults: { annotations: { 'io.kubernetes.cri-o.userns-mode': 'auto:size=65536' } },
      buildOverrides: {
        annotations: {
          'io.kubernetes.cri-o.userns-mode':
            'auto:size=65536;map-to-root=true;uidmapping=0:100000:65536',
          'io.kubernetes.cri-o.Devices': '/dev/fuse:rwm',
          'example.com/team': 'a',
          plain_key: '',
        },
      },
      passthroughAnnotations: ['io.kubernetes.cri-o.userns-mode', 'cost.example.com/centre'],
    },
    { userNamespaces: null, buildDefaults: { annotations: null } },
  ])('%j', (input) => {
    const result = validatePolicySpec(input);
    expect(result).toEqual({ ok: true, spec: expect.any(Object) });
  });

  it('returns a spec carrying only the known fields it checked', () => {
    const spec = { userNamespaces: { default: 'Enabled' }, passthroughAnnotations: ['a.b/c'] };
    expect(validatePolicySpec(spec)).toEqual({ ok: true, spec });
  });
});

describe('validatePolicySpec rejects', () => {
  it.each([null, 'Enabled', 42, [], undefined])('a spec that is not an object: %j', (input) => {
    expect(errorsOf(input)).toEqual([
      { path: 'spec', message: expect.stringMatching(/must be an object/) },
    ]);
  });

  it.each([
    [
      { userNamespaces: { default: 'enabled' } },
      'spec.userNamespaces.default',
      /one of Enabled, Disabled; got "enabled"/,
    ],
    [
      { userNamespaces: { override: true } },
      'spec.userNamespaces.override',
      /one of Required, None; got a boolean/,
    ],
    [
      { userNamespaces: { mode: 'Annotation' } },
      'spec.userNamespaces.mode',
      /CRIOAnnotation, HostUsers, Both/,
    ],
    [{ userNamespaces: 'Enabled' }, 'spec.userNamespaces', /must be an object/],
    [
      { userNamespaces: { exemptNamespaces: 'ci' } },
      'spec.userNamespaces.exemptNamespaces',
      /list of strings/,
    ],
    [
      { userNamespaces: { exemptNamespaces: ['ok', 'Bad_NS'] } },
      'spec.userNamespaces.exemptNamespaces[1]',
      /RFC 1123 label/,
    ],
    [
      { userNamespaces: { exemptNamespaces: ['a'.repeat(64)] } },
      'spec.userNamespaces.exemptNamespaces[0]',
      /no more than 63/,
    ],
    [
      { userNamespaces: { exemptNamespaces: [7] } },
      'spec.userNamespaces.exemptNamespaces[0]',
      /must be a string/,
    ],
    [
      { userNamespaces: { exemptNamespaces: ['ci', 'ci'] } },
      'spec.userNamespaces.exemptNamespaces[1]',
      /duplicate/,
    ],
    [{ userNamespaces: { defaults: 'Enabled' } }, 'spec.userNamespaces.defaults', /unknown field/],
    [{ buildDefault: {} }, 'spec.buildDefault', /unknown field/],
    [{ buildDefaults: { labels: {} } }, 'spec.buildDefaults.labels', /unknown field/],
    [
      { buildDefaults: { annotations: ['a'] } },
      'spec.buildDefaults.annotations',
      /must be an object/,
    ],
    [
      { buildDefaults: { annotations: { 'bad key': 'v' } } },
      'spec.buildDefaults.annotations["bad key"]',
      /name part/,
    ],
    [
      { buildOverrides: { annotations: { 'Example.COM/x': 'v' } } },
      'spec.buildOverrides.annotations["Example.COM/x"]',
      /prefix part/,
    ],
    [
      { buildOverrides: { annotations: { '/x': 'v' } } },
      'spec.buildOverrides.annotations["/x"]',
      /prefix part must not be empty/,
    ],
    [
      { buildOverrides: { annotations: { 'a.b/': 'v' } } },
      'spec.buildOverrides.annotations["a.b/"]',
      /name part must not be empty/,
    ],
    [
      { buildOverrides: { annotations: { ['x'.repeat(64)]: 'v' } } },
      `spec.buildOverrides.annotations["${'x'.repeat(64)}"]`,
      /no more than 63/,
    ],
    [
      { buildOverrides: { annotations: { [`${'a'.repeat(254)}/x`]: 'v' } } },
      `spec.buildOverrides.annotations["${'a'.repeat(254)}/x"]`,
      /no more than 253/,
    ],
    [
      { buildOverrides: { annotations: { 'a/b/c': 'v' } } },
      'spec.buildOverrides.annotations["a/b/c"]',
      /name part/,
    ],
    [
      { buildOverrides: { annotations: { 'a.b/c': 1 } } },
      'spec.buildOverrides.annotations["a.b/c"]',
      /value must be a string/,
    ],
    [
      { buildOverrides: { annotations: { 'userns.builds.dev/user-namespaces': 'true' } } },
      'spec.buildOverrides.annotations["userns.builds.dev/user-namespaces"]',
      /reserved/,
    ],
    [
      { buildDefaults: { annotations: { 'io.kubernetes.cri-o.userns-mode': 'auto:size=lots' } } },
      'spec.buildDefaults.annotations["io.kubernetes.cri-o.userns-mode"]',
      /size "lots"/,
    ],
    [
      {
        buildOverrides: {
          annotations: { 'io.kubernetes.cri-o.userns-mode': 'auto:size=1,map-to-root=true' },
        },
      },
      'spec.buildOverrides.annotations["io.kubernetes.cri-o.userns-mode"]',
      /userns-mode/,
    ],
    [
      {
        buildDefaults: {
          annotations: { 'io.kubernetes.cri-o.userns-mode': 'auto:uidmapping=0:0:65536' },
        },
      },
      'spec.buildDefaults.annotations["io.kubernetes.cri-o.userns-mode"]',
      /onto host UID 0/,
    ],
    [
      {
        buildOverrides: {
          annotations: { 'io.kubernetes.cri-o.userns-mode': 'auto:gidmapping=0:1:65536' },
        },
      },
      'spec.buildOverrides.annotations["io.kubernetes.cri-o.userns-mode"]',
      /host GIDs below 65536/,
    ],
    [
      { buildOverrides: { annotations: { 'io.kubernetes.cri-o.userns-mode': 'keep-id' } } },
      'spec.buildOverrides.annotations["io.kubernetes.cri-o.userns-mode"]',
      /keep-id .*a root build runs as host UID 0/,
    ],
    [
      {
        buildDefaults: {
          annotations: { 'io.kubernetes.cri-o.Devices': '/dev/kmem:rwm,/dev/mem:rwm' },
        },
      },
      'spec.buildDefaults.annotations["io.kubernetes.cri-o.Devices"]',
      /more than \/dev\/fuse/,
    ],
    [{ passthroughAnnotations: 'a' }, 'spec.passthroughAnnotations', /list of strings/],
    [
      { passthroughAnnotations: ['ok.example/a', 'not ok'] },
      'spec.passthroughAnnotations[1]',
      /name part/,
    ],
    [
      { passthroughAnnotations: ['io.openshift.builder'] },
      'spec.passthroughAnnotations[0]',
      /cannot be passed through/,
    ],
    [
      { passthroughAnnotations: ['userns.builds.dev/verdict'] },
      'spec.passthroughAnnotations[0]',
      /cannot be passed through/,
    ],
    [
      { passthroughAnnotations: ['a', 'a'] },
      'spec.passthroughAnnotations[1]',
      /duplicate entry "a"/,
    ],
  ])('%j at its path', (input, path, message) => {
    const errors = errorsOf(input);
    expect(errors).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('annotations over the 256 KiB total, counted in UTF-8 bytes like the API server', () => {
    // Two-byte characters: under the limit in string length, over it in bytes.
    const value = 'é'.repeat(TOTAL_ANNOTATION_SIZE_MAX / 2);
    expect(errorsOf({ buildDefaults: { annotations: { 'a.example/big': value } } })).toEqual([
      {
        path: 'spec.buildDefaults.annotations',
        message: expect.stringMatching(/262157 bytes.*262144/),
      },
    ]);
    const fits = 'x'.repeat(TOTAL_ANNOTATION_SIZE_MAX - 'k'.length);
    expect(validatePolicySpec({ buildDefaults: { annotations: { k: fits } } }).ok).toBe(true);
  });

  it('every error at once', () => {
    expect(
      paths({
        extra: 1,
        userNamespaces: {
          default: 'On',
          override: 'Always',
          mode: 'Crio',
          exemptNamespaces: ['A'],
        },
        buildDefaults: {
          annotations: { 'bad key': 'v', 'io.kubernetes.cri-o.userns-mode': 'auto:' },
        },
        buildOverrides: 'x',
        passthroughAnnotations: ['ok.example/a', 3],
      }),
    ).toEqual([
      'spec.extra',
      'spec.userNamespaces.default',
      'spec.userNamespaces.override',
      'spec.userNamespaces.mode',
      'spec.userNamespaces.exemptNamespaces[0]',
      'spec.buildDefaults.annotations["bad key"]',
      'spec.buildDefaults.annotations["io.kubernetes.cri-o.userns-mode"]',
      'spec.buildOverrides',
      'spec.passthroughAnnotations[1]',
    ]);
  });

  it('never throws, whatever it is given', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.userNamespaces = cyclic;
    const weird = [Symbol('s'), () => 1, new Date(0), Object.create(null), cyclic, 10n];
    for (const input of weird) expect(() => validatePolicySpec(input)).not.toThrow();
    expect(validatePolicySpec(cyclic).ok).toBe(false);
  });
});
