// The SDK's build accepts an unknown extension type or a missing required property (its schema
// lets anything through as a "custom" extension; docs/architecture.md#console-plugin-loading), so this checks console-extensions.json
// against the SDK's own schema of the documented extension types, one definition per type.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import type { AnySchema, ErrorObject } from 'ajv';

const root = path.resolve(__dirname, '..');
const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

interface Schema {
  definitions: Record<string, AnySchema & { properties?: { type?: { const?: string } } }>;
}
interface Extension {
  type: string;
  properties: Record<string, unknown>;
}

const schemaFile = path.join(
  root,
  'node_modules/@openshift-console/dynamic-plugin-sdk-webpack/schema/console-extensions.json',
);
const docsFile = path.join(
  root,
  'node_modules/@openshift-console/dynamic-plugin-sdk/docs/console-extensions.md',
);
const schema = readJson<Schema>(schemaFile);
const extensions = readJson<Extension[]>(path.join(root, 'console-extensions.json'));
const pkg = readJson<{ consolePlugin: { exposedModules: Record<string, string> } }>(
  path.join(root, 'package.json'),
);

/** type -> name of the schema definition for it, from the SDK's SupportedExtension union. */
function supportedTypes(): Map<string, string> {
  const union = schema.definitions.SupportedExtension as { anyOf: { $ref: string }[] };
  const types = new Map<string, string>();
  for (const { $ref } of union.anyOf) {
    const name = $ref.replace('#/definitions/', '');
    const type = schema.definitions[name]?.properties?.type?.const;
    if (type) types.set(type, name);
  }
  return types;
}

// Types the SDK declares and the console honours but its published schema leaves out: checked
// against a schema written from the SDK's declarations (and that schema against them, below).
interface DeclaredSchema {
  declarations: Record<string, string>;
  definitions: Record<string, AnySchema>;
}
const declared = readJson<DeclaredSchema>(
  path.join(__dirname, '__fixtures__/sdk-declared-extensions.schema.json'),
);
const declarationsDir = path.join(
  root,
  'node_modules/@openshift-console/dynamic-plugin-sdk/lib/extensions',
);

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(schema as AnySchema, 'console-extensions');
ajv.addSchema(declared as AnySchema, 'sdk-declared');
const types = supportedTypes();

/** All errors for one extension against its type's definition, as "path message" lines. */
function validate(extension: Extension): string[] {
  const definition = types.get(extension.type);
  const isDeclared = extension.type in declared.declarations;
  if (!definition && !isDeclared) return [`unknown extension type "${extension.type}"`];
  const check = definition
    ? ajv.getSchema(`console-extensions#/definitions/${definition}`)
    : ajv.getSchema(`sdk-declared#/definitions/${extension.type.replace(/\//g, '~1')}`);
  if (!check) return [`no schema for ${definition}`];
  if (check(extension)) return [];
  return (check.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}

/** Every {"$codeRef": "module.export"} anywhere in an extension's properties. */
function codeRefs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(codeRefs);
  if (typeof value !== 'object' || value === null) return [];
  const ref = (value as { $codeRef?: unknown }).$codeRef;
  if (typeof ref === 'string') return [ref];
  return Object.values(value).flatMap(codeRefs);
}

describe('the SDK schema this test relies on', () => {
  it('lists the documented extension types', () => {
    // Cross-check the schema against the SDK's docs, so an SDK upgrade that moves either is seen.
    const documented = [...fs.readFileSync(docsFile, 'utf8').matchAll(/^## `([^`]+)`$/gm)].map(
      (m) => m[1],
    );
    expect(documented.length).toBeGreaterThan(50);
    for (const type of ['console.page/route', 'console.navigation/href']) {
      expect(documented).toContain(type);
      expect(types.has(type)).toBe(true);
    }
    for (const type of types.keys()) expect(documented).toContain(type);
  });

  it('catches what the build lets through', () => {
    expect(validate({ type: 'console.page/routes', properties: {} })).toEqual([
      'unknown extension type "console.page/routes"',
    ]);
    const missingPath = validate({
      type: 'console.page/route',
      properties: { component: { $codeRef: 'PolicyOverviewPage' } },
    });
    expect(missingPath.join('\n')).toMatch(/must have required property 'path'/);
    const extraProp = validate({
      type: 'console.navigation/href',
      properties: { id: 'x', name: 'x', href: '/x', sectoin: 'builds' },
    });
    expect(extraProp.join('\n')).toMatch(/additional properties.*sectoin/);
  });
});

describe('the schema of SDK-declared types outside the published schema', () => {
  it.each(Object.entries(declared.declarations))(
    '%s matches its declaration in %s',
    (type, file) => {
      const source = fs.readFileSync(path.join(declarationsDir, file), 'utf8');
      // The type string is declared, and the schema is not one the published schema has.
      expect(source).toContain(`'${type}'`);
      expect(types.has(type)).toBe(false);
      const properties = (
        declared.definitions[type] as {
          properties: { properties: { properties: Record<string, unknown>; required: string[] } };
        }
      ).properties.properties;
      // Every property in the schema is declared, required exactly when the .d.ts has no `?`.
      const block = source.slice(source.indexOf(`'${type}'`));
      const body = block.slice(0, block.indexOf('}>;'));
      for (const name of Object.keys(properties.properties)) {
        const declaredAs = new RegExp(`\\b${name}(\\??):`).exec(body);
        expect({ name, declared: !!declaredAs }).toEqual({ name, declared: true });
        expect({ name, required: properties.required.includes(name) }).toEqual({
          name,
          required: declaredAs?.[1] !== '?',
        });
      }
    },
  );

  it('rejects what the declarations do not allow', () => {
    const item = {
      type: 'console.cluster-configuration/item',
      properties: { id: 'x', groupId: 'g', label: 'L', field: { type: 'text' } },
    };
    const errors = validate(item).join('\n');
    expect(errors).toMatch(/must have required property 'description'/);
    expect(errors).toMatch(/must be equal to constant/);
  });
});

describe('console-extensions.json', () => {
  it('has extensions', () => {
    expect(extensions.length).toBeGreaterThan(0);
  });

  it.each(extensions.map((e, i) => [`#${i} ${e.type}`, e] as const))(
    '%s is a documented type with its required properties',
    (_name, extension) => {
      expect(validate(extension)).toEqual([]);
    },
  );

  it('names only exposed modules in $codeRef, and every exposed module is used', () => {
    const exposed = Object.keys(pkg.consolePlugin.exposedModules);
    const used = extensions.flatMap((e) => codeRefs(e.properties)).map((r) => r.split('.')[0]);
    expect(used.length).toBeGreaterThan(0);
    for (const module of used) expect(exposed).toContain(module);
    for (const module of exposed) expect(used).toContain(module);
  });

  it('exposes modules that exist and export what the $codeRefs name', async () => {
    for (const ref of extensions.flatMap((e) => codeRefs(e.properties))) {
      const [module, exportName = 'default'] = ref.split('.');
      const file = pkg.consolePlugin.exposedModules[module!]!;
      const loaded = (await import(path.join(__dirname, file))) as Record<string, unknown>;
      expect({ ref, exported: loaded[exportName] !== undefined }).toEqual({
        ref,
        exported: true,
      });
    }
  });

  it('routes the navigation item to a page', () => {
    const paths = extensions
      .filter((e) => e.type === 'console.page/route')
      .flatMap((e) => [e.properties.path].flat());
    const hrefs = extensions
      .filter((e) => e.type === 'console.navigation/href')
      .map((e) => e.properties.href);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(paths).toContain(href);
  });
});
