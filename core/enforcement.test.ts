import { enforcementFinding } from './enforcement';
import { effectivePolicy } from './policy';
import { loadPod } from './testing/fixtures';
import type { BuildPolicySpec, Pod } from './types';

const find = (spec: BuildPolicySpec | undefined, pod: Pod, namespace = 'myapp') =>
  enforcementFinding({ policy: spec && effectivePolicy(spec), namespace, pod });

const required = (extra: BuildPolicySpec['userNamespaces'] = {}): BuildPolicySpec => ({
  userNamespaces: { override: 'Required', ...extra },
});

describe('enforcementFinding', () => {
  test('refuses a privileged build pod under Required, naming the container', () => {
    expect(find(required(), loadPod('docker-privileged'))).toEqual({
      action: 'Deny',
      rule: 'PrivilegedContainer',
      reason: 'container docker-build is privileged',
    });
  });

  test('lets OpenShift’s own BUILD_PRIVILEGED=false pod through in CRIOAnnotation mode only', () => {
    const pod = loadPod('docker-unprivileged');
    expect(find(required(), pod)).toBeUndefined();
    expect(find(required({ mode: 'HostUsers' }), pod)).toMatchObject({ rule: 'NoHostUsers' });
    pod.spec.hostUsers = false;
    expect(find(required({ mode: 'Both' }), pod)).toBeUndefined();
  });

  test('wants io.openshift.builder next to the userns-mode annotation, and a safe value', () => {
    const pod = loadPod('docker-unprivileged');
    delete pod.metadata.annotations?.['io.openshift.builder'];
    expect(find(required(), pod)).toMatchObject({ rule: 'NoUsernsAnnotation' });
    const hostRoot = loadPod('docker-unprivileged');
    hostRoot.metadata.annotations!['io.kubernetes.cri-o.userns-mode'] = 'auto:uidmapping=0:0:65536';
    expect(find(required(), hostRoot)).toMatchObject({ rule: 'UnsafeUsernsMode' });
  });

  test('warns instead under default Enabled without Required; Disabled says nothing', () => {
    const pod = loadPod('docker-privileged');
    expect(find({ userNamespaces: { default: 'Enabled' } }, pod)).toMatchObject({
      action: 'Warn',
      rule: 'PrivilegedContainer',
    });
    expect(find({ userNamespaces: { default: 'Disabled' } }, pod)).toBeUndefined();
  });

  test('never applies without a policy, to exempt or platform namespaces, or to other pods', () => {
    const pod = loadPod('docker-privileged');
    expect(find(undefined, pod)).toBeUndefined();
    expect(find(required({ exemptNamespaces: ['myapp'] }), pod)).toBeUndefined();
    expect(find(required(), pod, 'openshift-builds')).toBeUndefined();
    expect(find(required(), pod, 'kube-system')).toBeUndefined();
    expect(find(required(), loadPod('not-build-pod'))).toBeUndefined();
  });
});
