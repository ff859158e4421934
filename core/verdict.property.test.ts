import fc from 'fast-check';
import { containersOf, initContainersOf } from './build-pod';
import { CRIO_BUILDER_ANNOTATION, CRIO_USERNS_ANNOTATION } from './constants';
import { planInput } from './testing/arbitraries';
import type { Pod } from './types';
import { classifyBuild } from './verdict';

const klogHeader = fc
  .tuple(
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
    fc.integer({ min: 0, max: 86_399_999_999 }),
    fc.integer({ min: 1, max: 9999 }),
    fc.constantFrom('userns.go:118', 'builder.go:393', 'main.go:77'),
  )
  .map(([mo, d, us, tid, file]) => {
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    const s = Math.floor(us / 1_000_000);
    const time = `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}.${p(us % 1_000_000, 6)}`;
    return `I${p(mo)}${p(d)} ${time} ${String(tid).padStart(7)} ${file}] `;
  });

const idMap = fc
  .array(
    fc.tuple(
      fc.nat({ max: 70000 }),
      fc.oneof(fc.constant(0), fc.nat({ max: 4_000_000_000 })),
      fc.integer({ min: 1, max: 65536 }),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((entries) => entries.map(([c, h, s]) => `(${c}:${h}:${s})`).join(', '));

const startMessage = fc.oneof(
  fc
    .tuple(idMap, idMap)
    .map(([u, g]) => `Started in kernel user namespace with UID map [${u}] and GID map [${g}].`),
  fc.constant('Started in node (default) kernel user namespace'),
  fc.constant('openshift-builder 4.20.0'),
);

/** What the builder itself may print before any build step: klog lines only. */
const builderPreamble = fc
  .array(fc.tuple(klogHeader, startMessage), { maxLength: 3 })
  .map((lines) => lines.map(([h, m]) => `${h}${m}\n`).join(''));

/** The first line a build step's output cannot avoid: buildah's or s2i's own, never klog. */
const firstStepLine = fc.constantFrom(
  'STEP 1/5: FROM registry.access.redhat.com/ubi9/ubi-minimal:latest',
  'Caching blobs under "/var/cache/blobs".',
  '---> Installing application source ...',
  'Cloning "https://example.com/repo.git" ...',
);

/** Anything a build step prints, forged start-up lines above all. */
const stepOutput = fc
  .array(
    fc.oneof(
      fc.tuple(klogHeader, startMessage).map(([h, m]) => `${h}${m}`),
      startMessage,
      fc.string({ maxLength: 40 }),
      fc.constantFrom('', '\r', '\n\n'),
    ),
    { maxLength: 6 },
  )
  .map((lines) => lines.join('\n'));

const asksForUserns = (pod: Pod): boolean => {
  const annotations = pod.metadata.annotations ?? {};
  const honoured =
    (annotations[CRIO_USERNS_ANNOTATION] ?? '') !== '' && CRIO_BUILDER_ANNOTATION in annotations;
  return honoured || pod.spec.hostUsers === false;
};
const hasPrivileged = (pod: Pod): boolean =>
  [...initContainersOf(pod), ...containersOf(pod)].some((c) => c.securityContext?.privileged);

describe('classifyBuild against what a build step can print', () => {
  it('no suffix written by a build step changes the verdict or its evidence', () => {
    fc.assert(
      fc.property(
        planInput,
        fc.boolean(),
        builderPreamble,
        firstStepLine,
        stepOutput,
        ({ pod }, withPod, preamble, first, suffix) => {
          const head = `${preamble}${first}\n`;
          const judged = withPod ? { pod } : {};
          expect(classifyBuild({ ...judged, log: head + suffix })).toEqual(
            classifyBuild({ ...judged, log: head }),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a pod that kept a privileged container or never asked is never UserNamespaced', () => {
    fc.assert(
      fc.property(planInput, builderPreamble, stepOutput, ({ pod }, preamble, output) => {
        fc.pre(hasPrivileged(pod) || !asksForUserns(pod));
        for (const log of [preamble + output, output, undefined]) {
          expect(classifyBuild({ pod, log }).verdict).not.toBe('UserNamespaced');
        }
      }),
      { numRuns: 500 },
    );
  });
});
