import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { forbiddenError, noModelError, notFoundError, serverError } from '../__fixtures__/errors';
import { classifyEnforcement, requiredIsUnguarded, type WatchResult } from './enforcement';

// The manifests as deploy/ ships them: what an installed cluster's watches return.
const docs = parseAllDocuments(
  readFileSync(join(__dirname, '..', '..', 'deploy', 'enforcement', 'enforcement.yaml'), 'utf8'),
).map(
  (d) => d.toJS() as { kind: string; metadata: { name: string }; spec: Record<string, unknown> },
);
const shipped = (kind: string) =>
  docs.find((d) => d.kind === kind && d.metadata.name === 'userns-builds-required')!;

const ok = (data: unknown): WatchResult => ({ data, loaded: true, error: undefined });
const err = (error: unknown): WatchResult => ({ data: undefined, loaded: false, error });
const policy = () => ok(JSON.parse(JSON.stringify(shipped('ValidatingAdmissionPolicy'))));
const binding = (edit: (spec: Record<string, unknown>) => void = () => undefined) => {
  const b = JSON.parse(JSON.stringify(shipped('ValidatingAdmissionPolicyBinding'))) as ReturnType<
    typeof shipped
  >;
  edit(b.spec);
  return ok(b);
};

describe('classifyEnforcement', () => {
  it('is active with the shipped policy and binding', () => {
    expect(classifyEnforcement(policy(), binding())).toEqual({ state: 'active' });
  });

  it('loads until both watches have answered', () => {
    const pending: WatchResult = { data: {}, loaded: false, error: undefined };
    expect(classifyEnforcement(pending, binding())).toEqual({ state: 'loading' });
    expect(classifyEnforcement(policy(), pending)).toEqual({ state: 'loading' });
  });

  it('is not installed when either object is missing, or the API is', () => {
    expect(classifyEnforcement(err(notFoundError()), binding())).toEqual({
      state: 'not-installed',
      why: 'NoPolicy',
    });
    expect(classifyEnforcement(policy(), err(notFoundError()))).toEqual({
      state: 'not-installed',
      why: 'NoBinding',
    });
    expect(classifyEnforcement(policy(), ok({}))).toEqual({
      state: 'not-installed',
      why: 'NoBinding',
    });
    expect(classifyEnforcement(err(noModelError()), err(noModelError()))).toEqual({
      state: 'not-installed',
      why: 'NoAPI',
    });
  });

  it('names every way an installed binding fails to enforce', () => {
    const broken = binding((spec) => {
      spec.policyName = 'something-else';
      spec.validationActions = ['Warn'];
      spec.paramRef = { name: 'other', parameterNotFoundAction: 'Allow' };
    });
    const wrongKind = policy();
    (wrongKind.data as { spec: Record<string, unknown> }).spec.paramKind = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
    };
    expect(classifyEnforcement(wrongKind, broken)).toEqual({
      state: 'inactive',
      reasons: ['BindingPolicyName', 'BindingNotDeny', 'BindingParamRef', 'PolicyParamKind'],
    });
  });

  it('is unknown, with the status, when the watches fail otherwise', () => {
    expect(classifyEnforcement(err(forbiddenError()), binding())).toMatchObject({
      state: 'unknown',
      status: 403,
    });
    expect(classifyEnforcement(policy(), err(serverError()))).toEqual({
      state: 'unknown',
      status: 500,
      message: 'Internal Server Error',
    });
  });
});

describe('requiredIsUnguarded', () => {
  it('warns only for Required without active enforcement, once known', () => {
    expect(requiredIsUnguarded('Required', { state: 'not-installed', why: 'NoBinding' })).toBe(
      true,
    );
    expect(
      requiredIsUnguarded('Required', { state: 'inactive', reasons: ['BindingNotDeny'] }),
    ).toBe(true);
    expect(requiredIsUnguarded('Required', { state: 'active' })).toBe(false);
    expect(requiredIsUnguarded('Required', { state: 'loading' })).toBe(false);
    expect(requiredIsUnguarded('None', { state: 'not-installed', why: 'NoPolicy' })).toBe(false);
    expect(requiredIsUnguarded(undefined, { state: 'not-installed', why: 'NoPolicy' })).toBe(false);
  });
});
