import { parse } from 'yaml';
import {
  POLICY_GROUP,
  POLICY_KIND,
  POLICY_NAME,
  POLICY_VERSION,
  validatePolicySpec,
} from '@userns-builds/core';
import { buildPolicyTemplate } from './yaml-templates';

describe('buildPolicyTemplate', () => {
  const doc = parse(buildPolicyTemplate) as {
    apiVersion: string;
    kind: string;
    metadata: { name: string };
    spec: unknown;
  };

  it('creates the singleton the backend reads', () => {
    expect(doc.apiVersion).toBe(`${POLICY_GROUP}/${POLICY_VERSION}`);
    expect(doc.kind).toBe(POLICY_KIND);
    expect(doc.metadata.name).toBe(POLICY_NAME);
  });

  it('points to the form editor', () => {
    expect(buildPolicyTemplate.split('\n')[1]).toContain('/userns-builds/edit');
  });

  it('has a spec that passes core validation as written', () => {
    expect(validatePolicySpec(doc.spec)).toEqual({ ok: true, spec: doc.spec });
  });
});
