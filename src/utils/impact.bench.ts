// npm run bench:impact — the editor's impact computation over 10,000 BuildConfigs, as a ratio to
// JSON.parse of the same list (what the browser must do anyway to receive it), in the same run.
// Not a test: figures are printed, never asserted.
import { effectivePolicy } from '@userns-builds/core';
import type { EnvVar } from '@userns-builds/core';
import { compareImpact, computeImpact } from './impact';
import type { BuildConfigSlice } from './impact';

const COUNT = Number(process.env.BUILDCONFIGS ?? 10_000);
const ROUNDS = 15;

function buildConfigs(count: number): BuildConfigSlice[] {
  const types = ['Docker', 'Source', 'Custom'] as const;
  const keys = { Docker: 'dockerStrategy', Source: 'sourceStrategy', Custom: 'customStrategy' };
  return Array.from({ length: count }, (_, i) => {
    const type = types[i % 3] ?? 'Docker';
    const env: EnvVar[] =
      i % 5 === 0 ? [{ name: 'BUILD_PRIVILEGED', value: i % 10 === 0 ? 'true' : 'false' }] : [];
    return {
      metadata: {
        name: `bc-${i}`,
        namespace: `team-${i % 200}`,
        annotations: { 'example.com/ticket': `OPS-${i}` },
      },
      spec: {
        strategy: {
          type,
          [keys[type]]: { env: [{ name: 'GOFLAGS', value: '-mod=vendor' }, ...env] },
        },
      },
    };
  });
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function time(run: () => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const list = buildConfigs(COUNT);
const body = JSON.stringify({ kind: 'BuildConfigList', items: list });
const saved = effectivePolicy({ userNamespaces: { exemptNamespaces: ['team-7'] } });
const edited = effectivePolicy({
  userNamespaces: { default: 'Enabled', mode: 'Both', exemptNamespaces: ['team-7'] },
  buildDefaults: { annotations: { 'example.com/cost-center': 'builds' } },
  passthroughAnnotations: ['example.com/ticket'],
});

const parseMs = time(() => JSON.parse(body));
const impactMs = time(() => computeImpact(edited, list));
const bothMs = time(() => compareImpact(computeImpact(saved, list), computeImpact(edited, list)));

// A benchmark's output is its result.
const out = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
out(
  `impact over ${COUNT} BuildConfigs (${(body.length / 1e6).toFixed(1)} MB list), median of ${ROUNDS}`,
);
out(`  baseline JSON.parse of the list   ${fmt(parseMs)}`);
out(
  `  computeImpact (edited policy)     ${fmt(impactMs)}  ${(impactMs / parseMs).toFixed(2)}x baseline`,
);
out(
  `  saved + edited + compareImpact    ${fmt(bothMs)}  ${(bothMs / parseMs).toFixed(2)}x baseline`,
);
