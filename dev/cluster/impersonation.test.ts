import { impersonate } from './impersonation';
import { startCluster, type Cluster } from './index';
import { DEMO_USERS } from './rbac';
import { call } from './test-helpers';

const { admin, developer } = DEMO_USERS;

describe('impersonate', () => {
  it('is the caller without impersonation headers', () => {
    expect(impersonate(developer, {})).toBe(developer);
  });

  it('is the impersonated demo user, with its rules, when the caller may impersonate', () => {
    const as = impersonate(admin, { 'impersonate-user': ['developer'] });
    expect(as.username).toBe('developer');
    expect(as.rules).toBe(developer.rules);
    expect(as.groups).toContain('system:authenticated');
  });

  it('takes the impersonated groups, each checked', () => {
    const as = impersonate(admin, {
      'impersonate-user': ['someone'],
      'impersonate-group': ['team-a', 'team-b'],
    });
    expect(as.groups).toEqual(['team-a', 'team-b', 'system:authenticated']);
  });

  it('refuses a caller without the impersonate verb, naming the user or group', () => {
    expect(() => impersonate(developer, { 'impersonate-user': ['admin'] })).toThrow(
      expect.objectContaining({
        code: 403,
        message:
          'users "admin" is forbidden: User "developer" cannot impersonate resource "users" in API group "" at the cluster scope',
        details: { name: 'admin', kind: 'users' },
      }),
    );
  });

  it('refuses groups without a user with 400', () => {
    expect(() => impersonate(admin, { 'impersonate-group': ['system:masters'] })).toThrow(
      expect.objectContaining({
        code: 400,
        message: 'requested [{Group  system:masters  }] without impersonating a user',
      }),
    );
  });

  it('impersonates no one with an empty Impersonate-User, as the API server', () => {
    expect(impersonate(admin, { 'impersonate-user': [''] })).toBe(admin);
  });

  it('takes the first Impersonate-User and each Impersonate-Group line as one group', () => {
    const as = impersonate(admin, {
      'impersonate-user': ['auditor', 'developer'],
      'impersonate-group': ['cn=admins,ou=groups'],
    });
    expect(as.username).toBe('auditor');
    expect(as.groups).toEqual(['cn=admins,ou=groups', 'system:authenticated']);
  });
});

describe('impersonation over HTTP', () => {
  let cluster: Cluster;
  const pods = '/api/v1/namespaces/default/pods';

  beforeAll(async () => {
    cluster = await startCluster({ port: 0, seed: false });
  });

  afterAll(() => cluster.stop());

  it('acts as the impersonated user when allowed', async () => {
    const res = await call(cluster, pods, { headers: { 'impersonate-user': 'developer' } });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('User "developer" cannot list resource "pods"');
    const review = await call(cluster, '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      method: 'POST',
      headers: { 'impersonate-user': 'auditor' },
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    expect(review.body.status.userInfo.username).toBe('auditor');
  });

  it('refuses it to users without the impersonate verb', async () => {
    const res = await call(cluster, pods, {
      user: 'developer',
      headers: { 'impersonate-user': 'admin' },
    });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(
      'users "admin" is forbidden: User "developer" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
  });

  it('serves the caller itself when Impersonate-User is empty', async () => {
    const res = await call(cluster, pods, { headers: { 'impersonate-user': '' } });
    expect(res.status).toBe(200);
  });

  it('keeps a group name with a comma whole', async () => {
    const review = await call(cluster, '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      method: 'POST',
      headers: { 'impersonate-user': 'someone', 'impersonate-group': 'cn=admins,ou=groups' },
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    expect(review.body.status.userInfo.groups).toEqual([
      'cn=admins,ou=groups',
      'system:authenticated',
    ]);
  });
});
