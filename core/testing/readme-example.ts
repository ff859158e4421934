// The worked example in core/README.md: its inputs live here, and README.test.ts checks that the
// output printed in the README is what the code produces today. Regenerate the README blocks with
// `npx tsx core/testing/readme-example.ts && npx prettier --write core/README.md`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { planPodMutation, type MutationPlan } from '../plan';
import { effectivePolicy } from '../policy';
import type { BuildPolicy } from '../types';
import { validatePolicySpec } from '../validate';
import { loadPod } from './fixtures';

export const README = join(__dirname, '..', 'README.md');

/** The fenced block that follows `<!-- example:NAME -->` in the README. */
export function readmeBlock(readme: string, name: string): string {
  const match = new RegExp(`<!-- example:${name} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(
    readme,
  );
  if (!match?.[1]) throw new Error(`README has no example:${name} block`);
  return match[1];
}

export const POD_FIXTURE = 'docker-privileged';

export const BUILD_ANNOTATIONS = {
  'io.kubernetes.cri-o.userns-mode': 'auto:uidmapping=0:0:65536',
  'team.example.com/ticket': 'OPS-1234',
};

export function runExample(
  policyYaml: string,
): Pick<MutationPlan, 'decision' | 'operations' | 'dropped'> {
  const policy = parse(policyYaml) as BuildPolicy;
  const validated = validatePolicySpec(policy.spec);
  if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
  const { decision, operations, dropped } = planPodMutation({
    policy: effectivePolicy(validated.spec),
    pod: loadPod(POD_FIXTURE),
    namespace: 'myapp',
    buildMeta: { annotations: BUILD_ANNOTATIONS },
  });
  return { decision, operations, dropped };
}

/** The README with its output blocks replaced by what the code produces now. */
export function regenerate(readme: string): string {
  const result = runExample(readmeBlock(readme, 'policy'));
  let updated = readme;
  for (const [name, value] of Object.entries(result)) {
    const block = new RegExp(`(<!-- example:${name} -->\\s*\`\`\`json\\n)[\\s\\S]*?(\`\`\`)`);
    updated = updated.replace(
      block,
      (_all, open: string, close: string) => `${open}${JSON.stringify(value, null, 2)}\n${close}`,
    );
  }
  return updated;
}

if (require.main === module) {
  writeFileSync(README, regenerate(readFileSync(README, 'utf8')));
}
