import { render } from '@testing-library/react';
import { formatReason, REASON_KEYS, REASON_TEXT } from '@userns-builds/core';
import type { ReasonMessage } from '@userns-builds/core';
import { ReasonText } from './ReasonText';

// Every parameter a key names, filled with a recognisable value.
const sample = (key: ReasonMessage['key']): ReasonMessage => ({
  key,
  params: Object.fromEntries(
    [...REASON_TEXT[key].matchAll(/\{\{(\w+)\}\}/g)].map(([, name]) => [name!, `<${name!}>`]),
  ),
});

describe('ReasonText', () => {
  it.each(REASON_KEYS)('renders %s as the English core gives the backend', (key) => {
    const message = sample(key);
    const { container } = render(<ReasonText message={message} />);
    expect(container.textContent).toBe(formatReason(message));
    expect(container.textContent).not.toMatch(/\{\{/);
  });
});
