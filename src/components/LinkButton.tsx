import type { FC, MouseEvent, ReactNode } from 'react';
import { Button } from '@patternfly/react-core';
import type { ButtonProps } from '@patternfly/react-core';
import { useHref, useNavigate } from 'react-router';

interface LinkButtonProps {
  to: string;
  variant?: ButtonProps['variant'];
  children: ReactNode;
}

/**
 * A PatternFly button that navigates inside the console (no page reload), while a modified click
 * (new tab, new window) still follows the real href.
 */
export const LinkButton: FC<LinkButtonProps> = ({ to, variant = 'secondary', children }) => {
  const navigate = useNavigate();
  // useHref adds the console's base path, so a new-tab click lands on the right URL too.
  const href = useHref(to);
  const onClick = (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    void navigate(to);
  };
  return (
    <Button variant={variant} component="a" href={href} onClick={onClick}>
      {children}
    </Button>
  );
};
