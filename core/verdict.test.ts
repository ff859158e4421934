import { CRIO_BUILDER_ANNOTATION, CRIO_USERNS_ANNOTATION } from './constants';
import { builderStartLine, classifyBuild, EVIDENCE_MAX } from './verdict';
import { loadPod, readFixtureText } from './testing/fixtures';

const KLOG = 'I1120 10:14:21.123456       1 userns.go:118] ';
const usernsLine = (map: string, gid = map) =>
  `${KLOG}Started in kernel user namespace with UID map [${map}] and GID map [${gid}].`;
const NODE_LINE = `${KLOG}Started in node (default) kernel user namespace`;

describe('builderStartLine', () => {
  it("reads the builder's klog line, as openshift/builder prints it", () => {
    expect(
      builderStartLine(
        `${KLOG}openshift-builder 4.20\n${usernsLine('(0:2000000:1), (1:2000001:65535)')}\nSTEP 1/3`,
      ),
    ).toEqual({
      kind: 'userns',
      line: 'Started in kernel user namespace with UID map [(0:2000000:1), (1:2000001:65535)] and GID map [(0:2000000:1), (1:2000001:65535)].',
      uidMap: [
        { container: 0, host: 2000000, size: 1 },
        { container: 1, host: 2000001, size: 65535 },
      ],
      gidMap: [
        { container: 0, host: 2000000, size: 1 },
        { container: 1, host: 2000001, size: 65535 },
      ],
    });
    expect(builderStartLine(`${NODE_LINE}\r\nmore`)).toEqual({
      kind: 'node',
      line: 'Started in node (default) kernel user namespace',
    });
  });

  it.each([
    [
      'a line without the klog header',
      'Started in kernel user namespace with UID map [(0:100000:65536)] and GID map [(0:100000:65536)].',
    ],
    [
      "the custom-builder sample script's own wording",
      'Started in kernel user namespace as 0:0 with UID map [(0:100000:65536)] and GID map [(0:100000:65536)].',
    ],
    [
      'a klog line carrying more than the message',
      `${KLOG}x Started in kernel user namespace with UID map [(0:1:2)] and GID map [(0:1:2)].`,
    ],
    ['a klog line with text after the message', `${usernsLine('(0:100000:65536)')} trust me`],
    ['an empty map', usernsLine('')],
    ['a warning, not the info line', usernsLine('(0:100000:65536)').replace(/^I/, 'W')],
    ['a klog line after build output', `STEP 1/2: RUN make\n${usernsLine('(0:100000:65536)')}`],
    ['a log cut inside the line', usernsLine('(0:100000:65536)').slice(0, 90)],
  ])('ignores %s', (_what, log) => {
    expect(builderStartLine(log)).toBeUndefined();
  });

  it('takes the first start-up line, not a later one', () => {
    expect(builderStartLine(`${NODE_LINE}\n${usernsLine('(0:100000:65536)')}`)?.kind).toBe('node');
  });
});

describe('classifyBuild with the pod and the builder log', () => {
  it('is UserNamespaced when an unprivileged pod that asked gets a user namespace', () => {
    const result = classifyBuild({
      pod: loadPod('docker-unprivileged'),
      log: readFixtureText('build-userns.log'),
    });
    expect(result).toEqual({
      verdict: 'UserNamespaced',
      evidence:
        'Builder log: Started in kernel user namespace with UID map [(0:1879048192:65536)] and GID map [(0:1879048192:65536)].',
    });
  });

  it('is UserNamespaced for hostUsers: false without the CRI-O annotation', () => {
    const pod = loadPod('docker-unprivileged');
    delete pod.metadata.annotations?.[CRIO_USERNS_ANNOTATION];
    pod.spec.hostUsers = false;
    expect(classifyBuild({ pod, log: usernsLine('(0:65536:65536)') }).verdict).toBe(
      'UserNamespaced',
    );
  });

  it('is Privileged for a privileged pod whatever its log says, and says why', () => {
    const result = classifyBuild({
      pod: loadPod('docker-privileged'),
      log: usernsLine('(0:100000:65536)'),
    });
    expect(result.verdict).toBe('Privileged');
    expect(result.evidence).toMatch(
      /^Pod spec: container docker-build is privileged, which no user namespace line can outweigh; the builder log says: Started in kernel/,
    );
  });

  it('is Privileged when a build step echoes the line into a privileged build', () => {
    const result = classifyBuild({
      pod: loadPod('docker-privileged'),
      log: readFixtureText('build-forged-userns.log'),
    });
    expect(result).toEqual({
      verdict: 'Privileged',
      evidence: 'Pod spec: container docker-build is privileged.',
    });
  });

  it('is Requested, not UserNamespaced, when only a build step printed the line', () => {
    const result = classifyBuild({
      pod: loadPod('docker-unprivileged'),
      log: readFixtureText('build-forged-userns.log'),
    });
    expect(result.verdict).toBe('Requested');
    expect(result.evidence).toContain('no user namespace line from the builder');
  });

  it('calls a user namespace line from a pod that never asked for one a contradiction', () => {
    const pod = loadPod('docker-unprivileged');
    delete pod.metadata.annotations?.[CRIO_USERNS_ANNOTATION];
    const result = classifyBuild({ pod, log: usernsLine('(0:100000:65536)') });
    expect(result.verdict).toBe('Privileged');
    expect(result.evidence).toMatch(/^Pod spec asked for no user namespace, so .* contradicts it/);
  });

  it('does not count a userns annotation CRI-O ignores as asking', () => {
    const pod = loadPod('docker-unprivileged');
    delete pod.metadata.annotations?.[CRIO_BUILDER_ANNOTATION];
    expect(classifyBuild({ pod, log: usernsLine('(0:100000:65536)') }).verdict).toBe('Privileged');
  });

  it.each([
    ['(0:100000:1000), (1000:0:1)', '(0:100000:65536)', 'container UID 1000 to host UID 0'],
    ['(0:100000:65536)', '(0:0:1)', 'container GID 0 to host GID 0'],
    ['(0:1000:65536)', '(0:100000:65536)', 'container UID 0 to host UID 1000'],
    ['(0:100000:65536)', '(0:65535:1)', 'container GID 0 to host GID 65535'],
  ])(
    'is Privileged when the map lands an ID below the subordinate range: %s / %s',
    (uid, gid, named) => {
      const result = classifyBuild({
        pod: loadPod('docker-unprivileged'),
        log: usernsLine(uid, gid),
      });
      expect(result.verdict).toBe('Privileged');
      expect(result.evidence).toContain(`Builder log maps ${named}`);
    },
  );

  it('is Privileged when the pod asked for a mapping onto host root, even with a good line', () => {
    const pod = loadPod('docker-unprivileged');
    pod.metadata.annotations![CRIO_USERNS_ANNOTATION] = 'auto:uidmapping=0:0:65536';
    for (const log of [usernsLine('(0:100000:65536)'), undefined]) {
      const result = classifyBuild({ pod, log });
      expect(result.verdict).toBe('Privileged');
      expect(result.evidence).toContain('uidmapping 0:0:65536 maps container UIDs onto host UID 0');
    }
  });

  it('is Privileged when the builder says it runs in the node namespace', () => {
    const result = classifyBuild({
      pod: loadPod('docker-unprivileged'),
      log: `${NODE_LINE} as 0:0.\nmore`,
    });
    expect(result).toEqual({
      verdict: 'Privileged',
      evidence: 'Builder log: Started in node (default) kernel user namespace as 0:0.',
    });
  });

  it('keeps the evidence to one short line', () => {
    const map = Array.from({ length: 40 }, (_, i) => `(${i * 10}:${100000 + i * 10}:10)`).join(
      ', ',
    );
    const result = classifyBuild({ pod: loadPod('docker-unprivileged'), log: usernsLine(map) });
    expect(result.verdict).toBe('UserNamespaced');
    expect(result.evidence.length).toBe(EVIDENCE_MAX);
    expect(result.evidence.endsWith('…')).toBe(true);
    expect(result.evidence).not.toContain('\n');
  });
});

describe('classifyBuild from the pod spec alone', () => {
  it('is Requested for the unprivileged shape with the CRI-O annotation', () => {
    const result = classifyBuild({
      pod: loadPod('docker-unprivileged'),
      log: 'STEP 1/3: FROM ruby',
    });
    expect(result.verdict).toBe('Requested');
    expect(result.evidence).toContain(CRIO_USERNS_ANNOTATION);
    expect(result.evidence).toContain('no user namespace line from the builder');
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
    pod.metadata.annotations![CRIO_BUILDER_ANNOTATION] = '';
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

describe('classifyBuild without the pod', () => {
  it('is Unknown with neither pod nor log', () => {
    expect(classifyBuild({})).toEqual({
      verdict: 'Unknown',
      evidence: expect.stringMatching(/No build pod/),
    });
  });

  it('is Unknown with a log that never says', () => {
    expect(classifyBuild({ log: 'STEP 1/3: FROM ruby\nPushing image' })).toEqual({
      verdict: 'Unknown',
      evidence: expect.stringMatching(/BUILD_LOGLEVEL/),
    });
  });

  it('cannot confirm a user namespace line without the spec', () => {
    const result = classifyBuild({ log: readFixtureText('build-userns.log') });
    expect(result.verdict).toBe('Unknown');
    expect(result.evidence).toMatch(/^The pod is gone, so its spec cannot confirm/);
  });

  it('still believes a line that admits the node namespace or host root', () => {
    expect(classifyBuild({ log: NODE_LINE }).verdict).toBe('Privileged');
    expect(classifyBuild({ log: usernsLine('(0:0:65536)') }).verdict).toBe('Privileged');
  });
});
