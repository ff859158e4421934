import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1';
import {
  effectivePolicy,
  parseUsernsMode,
  POLICY_GROUP,
  POLICY_KIND,
  POLICY_NAME,
  POLICY_PLURAL,
  POLICY_VERSION,
  qualifiedNameErrors,
  validatePolicySpec,
  type BuildPolicySpec,
  type RuntimeEvidence,
  type UserNamespaceDefault,
  type UserNamespaceMode,
  type UserNamespaceOverride,
} from '@userns-builds/core';
import {
  celRules,
  createAjv,
  crdValidator,
  evaluateRule,
  loadYaml,
  structuralProblems,
  toJsonSchema,
  type Crd,
  type CrdSchema,
  type SchemaError,
} from './openapi';

const CRD_PATH = join(__dirname, 'buildpolicy.yaml');
const EXAMPLES = join(__dirname, '..', 'examples');
const INVALID = join(EXAMPLES, 'invalid');

const crd = loadYaml(CRD_PATH) as Crd;
const version = crd.spec.versions[0]!;
const root = version.schema.openAPIV3Schema;
const { validate } = crdValidator(version);

function at(schema: CrdSchema, ...path: string[]): CrdSchema {
  let node = schema;
  for (const name of path) {
    const next = node.properties?.[name];
    if (!next) throw new Error(`no schema at ${path.join('.')}`);
    node = next;
  }
  return node;
}

const spec = at(root, 'spec');
const annotationMap = at(spec, 'buildDefaults', 'annotations');
const passthroughItem = at(spec, 'passthroughAnnotations').items as CrdSchema;

const yamlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();

interface InvalidExample {
  file: string;
  object: unknown;
  path: string;
  message: string;
}

// Each invalid example states, in its leading comments, where and why it must be refused.
const invalid: InvalidExample[] = yamlFiles(INVALID).map((file) => {
  const text = readFileSync(join(INVALID, file), 'utf8');
  const path = /^# expect-path: (.+)$/m.exec(text)?.[1];
  const message = /^# expect-message: (.+)$/m.exec(text)?.[1];
  if (path === undefined || message === undefined) {
    throw new Error(`${file}: needs "# expect-path:" and "# expect-message:" comments`);
  }
  return {
    file,
    object: loadYaml(join(INVALID, file)),
    path: path === '(root)' ? '' : path,
    message,
  };
});
const valid = yamlFiles(EXAMPLES).map((file) => ({ file, object: loadYaml(join(EXAMPLES, file)) }));

describe('the BuildPolicy CRD manifest', () => {
  it('is a valid apiextensions.k8s.io/v1 CustomResourceDefinition', () => {
    expect(() => new CustomResourceDefinition(crd as never).validate()).not.toThrow();
    expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
    expect(crd.kind).toBe('CustomResourceDefinition');
  });

  it('names the resource as core does', () => {
    expect(crd.metadata.name).toBe(`${POLICY_PLURAL}.${POLICY_GROUP}`);
    expect(crd.spec.group).toBe(POLICY_GROUP);
    expect(crd.spec.scope).toBe('Cluster');
    expect(crd.spec.names).toEqual({
      plural: POLICY_PLURAL,
      singular: 'buildpolicy',
      kind: POLICY_KIND,
      listKind: `${POLICY_KIND}List`,
    });
    expect(crd.spec.versions.map((v) => [v.name, v.served, v.storage])).toEqual([
      [POLICY_VERSION, true, true],
    ]);
  });

  it('has a status subresource so status writes do not bump the generation', () => {
    expect(version.subresources).toEqual({ status: {} });
  });

  it('prints default, override, mode and age, each from a field that exists', () => {
    const columns = version.additionalPrinterColumns ?? [];
    expect(columns.map((c) => c.name)).toEqual(['Default', 'Override', 'Mode', 'Age']);
    expect(columns.map((c) => c.jsonPath)).toEqual([
      '.spec.userNamespaces.default',
      '.spec.userNamespaces.override',
      '.spec.userNamespaces.mode',
      '.metadata.creationTimestamp',
    ]);
    for (const column of columns.filter((c) => c.jsonPath.startsWith('.spec.'))) {
      const leaf = at(root, ...column.jsonPath.slice(1).split('.'));
      expect([column.name, leaf.type]).toEqual([column.name, column.type]);
    }
  });

  it('is a structural schema, bounded for the CEL cost budget', () => {
    expect(structuralProblems(root)).toEqual([]);
  });

  it('keeps the default and override annotation maps identical', () => {
    expect(at(spec, 'buildOverrides', 'annotations')).toEqual(annotationMap);
  });

  it('offers exactly the enum values core types', () => {
    // `satisfies` makes the type check fail when core adds or renames a value.
    const defaults = { Enabled: 1, Disabled: 1 } satisfies Record<UserNamespaceDefault, 1>;
    const overrides = { Required: 1, None: 1 } satisfies Record<UserNamespaceOverride, 1>;
    const modes = { CRIOAnnotation: 1, HostUsers: 1, Both: 1 } satisfies Record<
      UserNamespaceMode,
      1
    >;
    const u = at(spec, 'userNamespaces');
    expect(at(u, 'default').enum).toEqual(Object.keys(defaults));
    expect(at(u, 'override').enum).toEqual(Object.keys(overrides));
    expect(at(u, 'mode').enum).toEqual(Object.keys(modes));
    const evidence = { Enabled: 1, Disabled: 1 } satisfies Record<RuntimeEvidence, 1>;
    expect(at(spec, 'runtimeEvidence')).toMatchObject({
      enum: Object.keys(evidence),
      default: 'Disabled',
    });
  });

  it('treats both lists as sets', () => {
    expect(at(spec, 'userNamespaces', 'exemptNamespaces')['x-kubernetes-list-type']).toBe('set');
    expect(at(spec, 'passthroughAnnotations')['x-kubernetes-list-type']).toBe('set');
  });

  it('has status conditions in the metav1.Condition shape, keyed by type', () => {
    const conditions = at(root, 'status', 'conditions');
    const item = conditions.items as CrdSchema;
    expect(conditions['x-kubernetes-list-type']).toBe('map');
    expect(conditions['x-kubernetes-list-map-keys']).toEqual(['type']);
    expect(Object.keys(item.properties ?? {}).sort()).toEqual(
      ['lastTransitionTime', 'message', 'observedGeneration', 'reason', 'status', 'type'].sort(),
    );
    expect([...(item.required ?? [])].sort()).toEqual(
      ['lastTransitionTime', 'message', 'reason', 'status', 'type'].sort(),
    );
    expect(at(root, 'status', 'observedGeneration').type).toBe('integer');
  });
});

describe('defaults', () => {
  it('each default is valid against the schema it sits in (the API server requires it)', () => {
    const ajv = createAjv();
    const withDefaults: [string, CrdSchema][] = [];
    const walk = (node: CrdSchema, path: string) => {
      if (node.default !== undefined) withDefaults.push([path, node]);
      for (const [name, child] of Object.entries(node.properties ?? {}))
        walk(child, `${path}.${name}`);
    };
    walk(root, '');
    expect(withDefaults.map(([p]) => p)).toEqual([
      '.spec',
      '.spec.userNamespaces',
      '.spec.userNamespaces.default',
      '.spec.userNamespaces.override',
      '.spec.userNamespaces.mode',
      '.spec.runtimeEvidence',
    ]);
    for (const [path, node] of withDefaults) {
      const check = ajv.compile(toJsonSchema(node, false));
      expect([path, check(node.default)]).toEqual([path, true]);
    }
  });

  it.each([
    ['no spec at all', {}],
    ['an empty spec', { spec: {} }],
    ['an empty userNamespaces', { spec: { userNamespaces: {} } }],
  ])('with %s the API server fills in what core assumes', (_name, partial) => {
    const defaulting = crdValidator(version, createAjv({ useDefaults: true })).fn;
    const object = structuredClone({ metadata: { name: POLICY_NAME }, ...partial }) as {
      spec?: BuildPolicySpec;
    };
    expect(defaulting(object)).toBe(true);
    expect(object.spec?.userNamespaces).toEqual({
      default: effectivePolicy(undefined).userNamespaces.default,
      override: effectivePolicy(undefined).userNamespaces.override,
      mode: effectivePolicy(undefined).userNamespaces.mode,
    });
  });
});

describe('the documented examples', () => {
  it('exist: a minimal one, required with exemptions, HostUsers with annotations', () => {
    expect(valid.map((v) => v.file)).toEqual([
      'hostusers-annotations.yaml',
      'minimal.yaml',
      'required-with-exemptions.yaml',
    ]);
  });

  it.each(valid.map((v) => [v.file, v.object]))('%s is accepted', (_file, object) => {
    expect(validate(object)).toEqual([]);
  });
});

describe('the invalid examples', () => {
  it('cover every kind of mistake the schema guards against', () => {
    expect(invalid.length).toBeGreaterThanOrEqual(10);
  });

  it.each(invalid.map((i) => [i.file, i]))(
    '%s is refused at the stated path, for that reason only',
    (_file, example) => {
      const errors = validate(example.object);
      expect(errors.length).toBeGreaterThan(0);
      // Every error is the intended one: an example that is wrong in two ways proves neither.
      for (const error of errors) {
        expect(error.path).toBe(example.path);
        expect(error.message).toContain(example.message);
      }
    },
  );

  it('fail on every CEL rule at least once (a rule without a failing example is untested)', () => {
    const failed = new Set(
      invalid.flatMap((i) =>
        validate(i.object).flatMap((e: SchemaError) => (e.rule ? [e.rule] : [])),
      ),
    );
    const rules = [...new Set(celRules(root).map((r) => r.rule))];
    expect(rules.filter((r) => !failed.has(r))).toEqual([]);
  });
});

// Kubernetes' own qualified-name cases (apimachinery validation tests), run through the CRD's CEL
// rules with a real CEL interpreter and through the plain `pattern` regex the list items use.
const QUALIFIED_NAMES: [string, boolean][] = [
  ['simple', true],
  ['now-with-dashes', true],
  ['1-starts-with-num', true],
  ['1234', true],
  ['simple/simple', true],
  ['now-with-dashes/simple', true],
  ['now-with-dashes/now-with-dashes', true],
  ['now.with.dots/now-with-dashes', true],
  ['now-with.dashes-and.dots/now_with.dashes-and_dots', true],
  ['io.kubernetes.cri-o.userns-mode', true],
  ['1.2.3.4/5678', true],
  ['Uppercase_Is_OK_123', true],
  ['example.com/Uppercase_Is_OK_123', true],
  ['a'.repeat(63), true],
  [`${'a'.repeat(253)}/${'b'.repeat(63)}`, true],
  ['nospecialchars%^=@', false],
  ['cantendwithadash-', false],
  ['-cantstartwithadash-', false],
  ['only/one/slash', false],
  ['Example.com/abc', false],
  ['example_com/abc', false],
  ['example.com/', false],
  ['/simple', false],
  ['has space', false],
  ['a'.repeat(64), false],
  [`${'a'.repeat(254)}/abc`, false],
  ['', false],
];

describe('annotation keys', () => {
  const mapRules = annotationMap['x-kubernetes-validations'] ?? [];
  const keyRules = mapRules.filter((r) => r.rule.startsWith('self.all(k, '));
  const itemRules = passthroughItem['x-kubernetes-validations'] ?? [];
  const plainRegex = new RegExp(passthroughItem.pattern ?? '(?!)');

  it('use one regex for map keys (CEL) and list items (pattern), so they cannot drift', () => {
    expect(mapRules[0]!.rule).toContain(passthroughItem.pattern);
  });

  // Titles show long keys by length only.
  const label = (key: string) =>
    key.length > 40 ? `(${key.length} characters)` : JSON.stringify(key);
  it.each(QUALIFIED_NAMES.map(([key, expected]) => [label(key), expected, key] as const))(
    '%s is a qualified name for the CRD and for core: %s',
    (_label, expected, key) => {
      const asMapKey = keyRules.every((r) => evaluateRule(r, { [key]: 'v' }).ok);
      const asListItem =
        plainRegex.test(key) &&
        key.length <= (passthroughItem.maxLength ?? 0) &&
        itemRules.every((r) => evaluateRule(r, key).ok);
      const core = qualifiedNameErrors(key).length === 0;
      expect({ asMapKey, asListItem, core }).toEqual({
        asMapKey: expected,
        asListItem: expected,
        core: expected,
      });
    },
  );

  it('under our own prefix are refused in maps and lists', () => {
    const key = 'userns.builds.dev/verdict';
    expect(mapRules.every((r) => evaluateRule(r, { [key]: 'x' }).ok)).toBe(false);
    expect(itemRules.every((r) => evaluateRule(r, key).ok)).toBe(false);
    expect(plainRegex.test(key)).toBe(true);
  });
});

describe('the io.kubernetes.cri-o.userns-mode value rule', () => {
  const rule = (annotationMap['x-kubernetes-validations'] ?? []).find((r) =>
    r.rule.includes("'io.kubernetes.cri-o.userns-mode' in self"),
  )!;
  const crdAccepts = (value: string) =>
    evaluateRule(rule, { 'io.kubernetes.cri-o.userns-mode': value }).ok;

  it.each<[string, boolean]>([
    ['auto', true],
    ['auto:size=65536', true],
    ['auto:size=65536;map-to-root=true', true],
    ['auto:map-to-root=false', true],
    ['auto:uidmapping=0:100000:65536;gidmapping=0:100000:65536', true],
    ['auto:uidmapping=0:100000', true],
    ['auto:uidmapping=0:100000:1000,1000:200000:1000', true],
    ['auto:uidmapping=0:@100000:65536', true],
    ['auto:size=1024;uidmapping=0:1:1024;gidmapping=0:1:1024;map-to-root=true', true],
    ['', false],
    ['host', false],
    ['private', false],
    ['auto:', false],
    ['auto:size=', false],
    ['auto:size=big', false],
    ['auto:size=65536;', false],
    ['auto;size=65536', false],
    ['auto:map-to-root=yes', false],
    ['auto:uidmapping=0', false],
    ['auto:uidmapping=0:100000:65536,', false],
    ['auto:keep-id', false],
  ])('%j is accepted by the CRD and by core: %s', (value, expected) => {
    expect({ crd: crdAccepts(value), core: parseUsernsMode(value).ok }).toEqual({
      crd: expected,
      core: expected,
    });
  });

  // A regex cannot say "a positive 32-bit integer"; core can, and the backend refuses such a
  // policy with a status condition. If either side changes, this test says so.
  it.each(['auto:size=0', 'auto:size=9999999999'])(
    '%j passes the CRD but not core (number ranges are core-only)',
    (value) => {
      expect({ crd: crdAccepts(value), core: parseUsernsMode(value).ok }).toEqual({
        crd: true,
        core: false,
      });
    },
  );

  it('does not apply to other keys', () => {
    expect(evaluateRule(rule, { 'example.com/mode': 'host' }).ok).toBe(true);
  });
});

// The same safety rules as core's crioAnnotationHazard, run with a real CEL interpreter: a policy
// must not hand a builder pod host IDs below 65536 or a device other than /dev/fuse.
describe('the CRI-O safety rules', () => {
  const rules = annotationMap['x-kubernetes-validations'] ?? [];
  const crdAccepts = (key: string, value: string) =>
    rules.every((r) => evaluateRule(r, { [key]: value }).ok);
  const coreAccepts = (key: string, value: string) => {
    const spec = { buildOverrides: { annotations: { [key]: value } } };
    return validatePolicySpec(spec).ok;
  };
  const USERNS = 'io.kubernetes.cri-o.userns-mode';
  const DEVICES = 'io.kubernetes.cri-o.Devices';

  it.each<[string, string, boolean]>([
    [USERNS, 'auto:size=65536', true],
    [USERNS, 'auto:uidmapping=0:65536:65536', true],
    [USERNS, 'auto:uidmapping=0:100000:65536;gidmapping=0:100000:65536', true],
    [USERNS, 'auto:uidmapping=0:@100000:65536', true],
    [USERNS, 'auto:uidmapping=0:100000:10,10:200000:10', true],
    [USERNS, 'auto:size=1024;map-to-root=true;gidmapping=1:4294967295:1', true],
    [USERNS, 'auto:uidmapping=0:0:65536', false],
    [USERNS, 'auto:uidmapping=0:1:65536', false],
    [USERNS, 'auto:uidmapping=0:65535', false],
    [USERNS, 'auto:uidmapping=0:000070000:1', true],
    [USERNS, 'auto:uidmapping=0:0000001:1', false],
    [USERNS, 'auto:gidmapping=5:@100:1', false],
    [USERNS, 'auto:uidmapping=0:100000:10,10:1000:10', false],
    [USERNS, 'auto:size=65536;uidmapping=u0:60000:1', false],
    [USERNS, 'auto:map-to-root=true;gidmapping=0:0:1;size=2', false],
    [USERNS, 'keep-id', false],
    [USERNS, 'host', false],
    [DEVICES, '/dev/fuse', true],
    [DEVICES, '/dev/fuse:rwm', true],
    [DEVICES, '/dev/fuse:/dev/fuse:mr', true],
    [DEVICES, '/dev/fuse:rr', false],
    [DEVICES, '/dev/fuse:rwmx', false],
    [DEVICES, '/dev/kmem:rwm,/dev/mem:rwm', false],
    [DEVICES, '/dev/fuse,/dev/kvm', false],
    [DEVICES, '/dev/sda:/dev/fuse', false],
    [DEVICES, '', false],
  ])('%s %j: CRD and core both accept it: %s', (key, value, expected) => {
    expect({ crd: crdAccepts(key, value), core: coreAccepts(key, value) }).toEqual({
      crd: expected,
      core: expected,
    });
  });
});

describe('the singleton rule', () => {
  const rule = (root['x-kubernetes-validations'] ?? [])[0]!;

  it.each<[string, boolean]>([
    ['cluster', true],
    ['default', false],
    ['cluster-2', false],
    ['Cluster', false],
  ])('metadata.name %j is accepted: %s', (name, expected) => {
    expect(rule.rule).toBe("self.metadata.name == 'cluster'");
    expect(evaluateRule(rule, { metadata: { name } }).ok).toBe(expected);
  });
});

// core validates a spec the same way for the console editor and the backend; the CRD is the API
// server's copy of the same rules. Core names fields "spec.a.b[1]" or 'spec.a["key"]'.
const dotted = (pointer: string) =>
  pointer
    .split('/')
    .slice(1)
    .map((seg, i) => (/^\d+$/.test(seg) ? `[${seg}]` : i === 0 ? seg : `.${seg}`))
    .join('');

describe('core.validatePolicySpec agrees with the CRD', () => {
  it.each(valid.map((v) => [v.file, v.object]))('%s: core accepts the spec', (_file, object) => {
    const spec = (object as { spec: unknown }).spec;
    expect(validatePolicySpec(spec)).toEqual({ ok: true, spec });
  });

  const specLevel = invalid.filter((i) => i.path.startsWith('/spec'));
  it.each(specLevel.map((i) => [i.file, i]))(
    '%s: core refuses the spec at the same field',
    (_file, example) => {
      const result = validatePolicySpec((example.object as { spec: unknown }).spec);
      expect(result.ok).toBe(false);
      const paths = result.ok ? [] : result.errors.map((e) => e.path);
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) expect(path.startsWith(dotted(example.path))).toBe(true);
    },
  );

  it('leaves the object name to the CRD: core validates specs, and wrong-name has a good one', () => {
    const [wrongName] = invalid.filter((i) => !i.path.startsWith('/spec'));
    expect(wrongName?.file).toBe('wrong-name.yaml');
    expect(validatePolicySpec((wrongName!.object as { spec: unknown }).spec).ok).toBe(true);
  });
});
