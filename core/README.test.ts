// The README's worked example is documentation users copy from, so it must be what the code does.
import { readFileSync } from 'node:fs';
import { README, readmeBlock, runExample } from './testing/readme-example';

describe('core/README.md worked example', () => {
  const readme = readFileSync(README, 'utf8');
  const result = runExample(readmeBlock(readme, 'policy'));

  it.each(['decision', 'operations', 'dropped'] as const)(
    'shows the %s the code produces',
    (name) => {
      expect(JSON.parse(readmeBlock(readme, name))).toEqual(result[name]);
    },
  );

  it('demonstrates a userns decision and a dropped passthrough', () => {
    expect(result.decision.userNamespaces).toBe(true);
    expect(result.dropped.map((d) => d.key)).toEqual(['io.kubernetes.cri-o.userns-mode']);
  });
});
