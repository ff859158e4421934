import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter, useLocation } from 'react-router';
import { LinkButton } from './LinkButton';

const Where = () => <output aria-label="location">{useLocation().pathname}</output>;

const renderAt = (basename?: string) =>
  render(
    <MemoryRouter basename={basename} initialEntries={[`${basename ?? ''}/start`]}>
      <LinkButton to="/k8s/cluster/thing">Go</LinkButton>
      <Where />
    </MemoryRouter>,
  );

describe('LinkButton', () => {
  it('navigates inside the app on a plain click', () => {
    renderAt();
    const link = screen.getByRole('link', { name: 'Go' });
    // fireEvent returns false when the handler called preventDefault (no full page load).
    expect(fireEvent.click(link, { button: 0 })).toBe(false);
    expect(screen.getByLabelText('location')).toHaveTextContent('/k8s/cluster/thing');
  });

  it('leaves a modified click (new tab) to the browser', () => {
    renderAt();
    expect(fireEvent.click(screen.getByRole('link', { name: 'Go' }), { ctrlKey: true })).toBe(true);
    expect(screen.getByLabelText('location')).toHaveTextContent('/start');
  });

  it("puts the console's base path in the href", () => {
    renderAt('/console');
    expect(screen.getByRole('link', { name: 'Go' })).toHaveAttribute(
      'href',
      '/console/k8s/cluster/thing',
    );
  });
});
