import type { FC, MouseEvent, ReactNode } from 'react';
import { Button } from '@patternfly/react-core';
import type { ButtonProps } from '@patternfly/react-core';
import { useNavigate } from 'react-router';

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
  const onClick = (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    void navigate(to);
  };
  return (
    <Button variant={variant} component="a" href={to} onClick={onClick}>
      {children}
    </Button>
  );
};
