import { CRIO_BUILDER_ANNOTATION, CRIO_USERNS_ANNOTATION } from './constants';
import { classifyBuild, EVIDENCE_QUOTE_MAX } from './verdict';
import { loadPod, readFixtureText } from './testing/fixtures';

const KLOG = 'I1120 10:14:21.123456       1 builder.go:123] ';

describe('classifyBuild from the builder log', () => {
  it.each([
    `Started in kernel user namespace as 0:0 with UID map [(0:1000000:65536)] and GID map [(0:1000000:65536)].`,
    `${KLOG}Started in kernel user namespace with UID map [(0:2000000:1), (1:2000001:65535)] and GID map [(0:2000000:65536)].`,
  ])('is UserNamespaced when container root maps to a non-zero host UID: %s', (line) => {
    const result = classifyBuild({
      log: `Cloning "https://example.com/repo" ...\n${line}\nSTEP 1/3`,
    });
    expect(result.verdict).toBe('UserNamespaced');
    expect(result.evidence).toContain('Started in kernel user namespace');
  });

  it('outranks a privileged pod spec: the kernel has the last word', () => {
    const result = classifyBuild({
      pod: loadPod('docker-privileged'),
      log: 'Started in kernel user namespace as 0:0 with UID map [(0:100000:65536)] and GID map [(0:100000:65536)].',
    });
    expect(result.verdict).toBe('UserNamespaced');
  });

  it('is Privileged when the map lands any container UID on host UID 0', () => {
    const result = classifyBuild({
      log: 'Started in kernel user namespace as 0:0 with UID map [(0:100000:1000), (1000:0:1)] and GID map [(0:100000:65536)].',
    });
    expect(result).toEqual({
      verdict: 'Privileged',
      evidence: expect.stringContaining('maps container UID 1000 to host UID 0'),
    });
  });

  it('is Privileged when the builder says it runs in the node namespace', () => {
    const result = classifyBuild({
      pod: loadPod('docker-unprivileged'),
      log: `${KLOG}Started in node (default) kernel user namespace as 0:0.\nmore`,
    });
    expect(result.verdict).toBe('Privileged');
    expect(result.evidence).toBe(
      'Builder log: Started in node (default) kernel user namespace as 0:0.',
    );
  });

  it('reads a real-looking build log from a fixture file', () => {
    const result = classifyBuild({ log: readFixtureText('build-userns.log') });
    expect(result.verdict).toBe('UserNamespaced');
    expect(result.evidence).toMatch(/^Builder log: Started in kernel user namespace as 0:0/);
  });

  it('truncates a long log line to one short evidence line', () => {
    const map = Array.from({ length: 40 }, (_, i) => `(${i * 10}:${100000 + i * 10}:10)`).join(
      ', ',
    );
    const result = classifyBuild({
      log: `Started in kernel user namespace as 0:0 with UID map [${map}] and GID map [${map}].`,
    });
    expect(result.verdict).toBe('UserNamespaced');
    expect(result.evidence.length).toBeLessThanOrEqual('Builder log: '.length + EVIDENCE_QUOTE_MAX);
    expect(result.evidence.endsWith('…')).toBe(true);
    expect(result.evidence).not.toContain('\n');
  });
});

describe('classifyBuild from the pod spec', () => {
  it('is Requested for the unprivileged shape with the CRI-O annotation', () => {
    const result = classifyBuild({
      pod: loadPod('docker-unprivileged'),
      log: 'STEP 1/3: FROM ruby',
    });
    expect(result.verdict).toBe('Requested');
    expect(result.evidence).toContain(CRIO_USERNS_ANNOTATION);
    expect(result.evidence).toContain('no user namespace line in the build log');
  });

  it('is Requested for hostUsers: false', () => {
    const pod = loadPod('docker-unprivileged');
    delete pod.metadata.annotations?.[CRIO_USERNS_ANNOTATION];
    pod.spec.hostUsers = false;
    expect(classifyBuild({ pod })).toEqual({
      verdict: 'Requested',
      evidence: expect.stringContaining('hostUsers: false'),
    });
  });

  it('is Privileged when a build container is privileged, naming it', () => {
    expect(classifyBuild({ pod: loadPod('source-extract') })).toEqual({
      verdict: 'Privileged',
      evidence: 'Pod spec: container extract-image-content is privileged.',
    });
  });

  it('is Privileged, not Requested, when it asked for userns but kept a privileged container', () => {
    const pod = loadPod('docker-privileged');
    pod.metadata.annotations![CRIO_USERNS_ANNOTATION] = 'auto';
    expect(classifyBuild({ pod }).verdict).toBe('Privileged');
  });

  it('does not count a userns-mode annotation CRI-O would ignore', () => {
    const pod = loadPod('docker-unprivileged');
    delete pod.metadata.annotations?.[CRIO_BUILDER_ANNOTATION];
    const result = classifyBuild({ pod });
    expect(result.verdict).toBe('Unknown');
    expect(result.evidence).toContain('CRI-O ignores it');
  });

  it('is Unknown for an unprivileged pod that asked for nothing', () => {
    const pod = loadPod('docker-unprivileged');
    delete pod.metadata.annotations?.[CRIO_USERNS_ANNOTATION];
    expect(classifyBuild({ pod }).verdict).toBe('Unknown');
  });
});

describe('classifyBuild without evidence', () => {
  it('is Unknown with neither pod nor log', () => {
    expect(classifyBuild({})).toEqual({
      verdict: 'Unknown',
      evidence: expect.stringMatching(/No build pod/),
    });
  });

  it('is Unknown with a log that never says, and no pod', () => {
    expect(classifyBuild({ log: 'STEP 1/3: FROM ruby\nPushing image' })).toEqual({
      verdict: 'Unknown',
      evidence: expect.stringMatching(/BUILD_LOGLEVEL/),
    });
  });
});
