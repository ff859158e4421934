import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { FC } from 'react';
import { BrowserRouter, Link, Route, Routes, useLocation } from 'react-router';
import { useUnsavedChangesGuard } from './useUnsavedChangesGuard';

const MESSAGE = 'Leave and lose the changes?';

const Editor: FC<{ dirty: boolean }> = ({ dirty }) => {
  useUnsavedChangesGuard(dirty, MESSAGE);
  return <Link to="/next">Next</Link>;
};

/** The hook with no router around it. */
const Bare: FC = () => {
  useUnsavedChangesGuard(true, MESSAGE);
  return null;
};

const Where = () => <output aria-label="location">{useLocation().pathname}</output>;

// A real BrowserRouter over jsdom's history, so back and forward reach the router as popstate.
const App: FC<{ dirty: boolean }> = ({ dirty }) => (
  <BrowserRouter>
    <Routes>
      <Route path="/list" element={<Link to="/edit">Edit</Link>} />
      <Route path="/edit" element={<Editor dirty={dirty} />} />
      <Route path="/next" element={<p>next page</p>} />
    </Routes>
    <Where />
  </BrowserRouter>
);

const routerAt = () => screen.getByLabelText('location').textContent;
/** Where the router and the browser both are, once history traversal has settled. */
const bothAt = (path: string) =>
  waitFor(() => {
    expect(routerAt()).toBe(path);
    expect(window.location.pathname).toBe(path);
  });
const traverse = (delta: number) => act(() => window.history.go(delta));

let confirm: jest.SpyInstance<boolean, [message?: string]>;

beforeEach(() => {
  window.history.replaceState(null, '', '/list');
  confirm = jest.spyOn(window, 'confirm').mockReturnValue(false);
});
afterEach(() => confirm.mockRestore());

/** Renders the list page and opens the editor from it, so the editor has an entry behind it. */
const openEditor = async (dirty: boolean) => {
  const view = render(<App dirty={dirty} />);
  fireEvent.click(screen.getByRole('link', { name: 'Edit' }));
  await bothAt('/edit');
  return view;
};

describe('useUnsavedChangesGuard: back and forward', () => {
  it('keeps the page and the browser where they are when the user stays', async () => {
    await openEditor(true);
    await traverse(-1);
    await waitFor(() => expect(confirm).toHaveBeenCalledWith(MESSAGE));
    await bothAt('/edit');
    expect(confirm).toHaveBeenCalledTimes(1);
    // Still guarded, and the entry behind the page was kept: back asks again.
    await traverse(-1);
    await waitFor(() => expect(confirm).toHaveBeenCalledTimes(2));
    await bothAt('/edit');
  });

  it('goes back when the user confirms', async () => {
    await openEditor(true);
    confirm.mockReturnValue(true);
    await traverse(-1);
    await bothAt('/list');
    expect(confirm).toHaveBeenCalledTimes(1);
  });

  it('guards the forward button as well', async () => {
    const view = await openEditor(false);
    fireEvent.click(screen.getByRole('link', { name: 'Next' }));
    await bothAt('/next');
    await traverse(-1);
    await bothAt('/edit');
    view.rerender(<App dirty />);

    await traverse(1);
    await waitFor(() => expect(confirm).toHaveBeenCalledTimes(1));
    await bothAt('/edit');

    confirm.mockReturnValue(true);
    await traverse(1);
    await bothAt('/next');
  });

  it('lets the user leave without asking when nothing is unsaved', async () => {
    await openEditor(false);
    await traverse(-1);
    await bothAt('/list');
    expect(confirm).not.toHaveBeenCalled();
  });

  it('stops guarding once the page is gone', async () => {
    const view = await openEditor(true);
    view.unmount();
    window.history.back();
    await waitFor(() => expect(window.location.pathname).toBe('/list'));
    expect(confirm).not.toHaveBeenCalled();
  });

  it('returns with a new entry when history entries carry no positions', async () => {
    // A router that keeps no index in history state (as history 4 does).
    window.history.replaceState({ key: 'a' }, '', '/elsewhere');
    window.history.pushState({ key: 'b' }, '', '/edit');
    const { unmount } = render(<Bare />);
    await act(() => window.history.back());
    await waitFor(() => expect(confirm).toHaveBeenCalledWith(MESSAGE));
    expect(window.location.pathname).toBe('/edit');
    expect(window.history.state).toEqual({ key: 'b' });
    unmount();
  });
});

describe('useUnsavedChangesGuard: the tab and links', () => {
  const beforeUnload = () => {
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  };

  it('asks the browser to confirm closing or reloading the tab only while dirty', async () => {
    const view = await openEditor(false);
    expect(beforeUnload()).toBe(false);
    view.rerender(<App dirty />);
    expect(beforeUnload()).toBe(true);
    view.unmount();
    expect(beforeUnload()).toBe(false);
  });

  it('asks before following a link, and stays unless confirmed', async () => {
    await openEditor(true);
    fireEvent.click(screen.getByRole('link', { name: 'Next' }));
    expect(confirm).toHaveBeenCalledWith(MESSAGE);
    expect(routerAt()).toBe('/edit');
    confirm.mockReturnValue(true);
    fireEvent.click(screen.getByRole('link', { name: 'Next' }));
    await bothAt('/next');
  });
});
