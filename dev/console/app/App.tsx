// The console-like frame: masthead with the user switcher, side navigation built from the
// built-in pages plus the plugin's nav extensions, and routes for both.
import { Suspense, useEffect, useMemo, useState, type FC, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useLocation, useParams } from 'react-router';
import {
  Alert,
  AlertGroup,
  Masthead,
  MastheadBrand,
  MastheadContent,
  MastheadMain,
  Nav,
  NavExpandable,
  NavItem as PFNavItem,
  NavList,
  Page,
  PageSidebar,
  PageSidebarBody,
  Content,
  FormSelect,
  FormSelectOption,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
  Spinner,
} from '@patternfly/react-core';
import { useExtensions, useResolvedExtensions } from '@openshift/dynamic-plugin-sdk';
import { translateLabel } from './i18n';
import {
  codeRefFailureMessage,
  codeRefFailures,
  orderNavItems,
  unsupportedExtensions,
  type CodeRefFailure,
  type NavItem,
} from './extensions';
import { DEMO_USERS, USER_COOKIE, userFromCookie, type DemoUser } from './users';
import { ModelFlags } from './flags';
import { ALL_NAMESPACES_KEY, ActiveNamespaceContext, OverlayProvider } from '../sdk/hooks';
import { isContextProvider, isHref, isRoute, isSection } from './extension-types';
import {
  ClusterConfigurationPage,
  ClusterSettingsPage,
  CreateFromYAMLPage,
  DashboardPage,
  NotFound,
  ResourceDetailsPage,
  ResourceListPage,
} from './pages';

/** Built-in nav, with the console's ids so plugins can insert relative to them. */
const BUILT_IN_SECTIONS: { id: string; name: string; items: NavItem[] }[] = [
  {
    id: 'home',
    name: 'Home',
    items: [{ id: 'dashboards', name: 'Overview', href: '/dashboards' }],
  },
  {
    id: 'builds',
    name: 'Builds',
    items: [
      { id: 'buildconfigs', name: 'BuildConfigs', href: '/k8s/all-namespaces/buildconfigs' },
      { id: 'builds', name: 'Builds', href: '/k8s/all-namespaces/builds' },
    ],
  },
  {
    id: 'administration',
    name: 'Administration',
    items: [{ id: 'clustersettings', name: 'Cluster Settings', href: '/settings/cluster' }],
  },
];

const UserSwitcher: FC = () => {
  const [user] = useState<DemoUser>(() => userFromCookie(document.cookie));
  return (
    <Toolbar isFullHeight isStatic>
      <ToolbarContent>
        <ToolbarItem>
          <FormSelect
            id="dev-console-user"
            aria-label="Demo user"
            value={user}
            onChange={(_e, value) => {
              document.cookie = `${USER_COOKIE}=${value}; path=/; SameSite=Strict`;
              localStorage.setItem(USER_COOKIE, value);
              // Everything cached (access reviews, watches) belongs to the old user: start over.
              window.location.reload();
            }}
          >
            {DEMO_USERS.map((u) => (
              <FormSelectOption key={u} value={u} label={`Logged in as ${u}`} />
            ))}
          </FormSelect>
        </ToolbarItem>
      </ToolbarContent>
    </Toolbar>
  );
};

const Sidebar: FC = () => {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const hrefs = useExtensions(isHref);
  const sections = useExtensions(isSection);
  const all = useMemo(() => {
    const builtIn = BUILT_IN_SECTIONS.map((s) => ({ ...s, items: [...s.items] }));
    const pluginSections = orderNavItems([
      ...builtIn.map((s) => ({ id: s.id, name: s.name, items: s.items })),
      ...sections
        .filter((s) => !builtIn.some((b) => b.id === s.properties.id))
        .map((s) => ({
          id: s.properties.id,
          insertAfter: s.properties.insertAfter,
          insertBefore: s.properties.insertBefore,
          name: translateLabel(s.properties.name ?? '', t),
          items: [] as NavItem[],
        })),
    ]);
    const loose: NavItem[] = [];
    hrefs
      .filter((h) => !h.properties.perspective || h.properties.perspective === 'admin')
      .forEach(({ properties: p }) => {
        const item = { ...p, name: translateLabel(p.name, t) };
        const section = pluginSections.find((s) => s.id === p.section);
        if (section) section.items.push(item);
        else loose.push(item);
      });
    return {
      sections: pluginSections.map((s) => ({ ...s, items: orderNavItems(s.items) })),
      loose,
    };
  }, [hrefs, sections, t]);
  const navLink = (i: NavItem) => (
    <PFNavItem
      key={i.id}
      itemId={i.id}
      isActive={pathname === i.href || pathname.startsWith(`${i.href}/`)}
    >
      <Link to={i.href} data-test-id={`nav-${i.id}`}>
        {i.name}
      </Link>
    </PFNavItem>
  );
  return (
    <Nav aria-label="Main navigation">
      <NavList>
        {all.sections.map((s) => (
          <NavExpandable key={s.id} title={s.name} isExpanded data-quickstart-id={s.id}>
            {s.items.map(navLink)}
          </NavExpandable>
        ))}
        {all.loose.map(navLink)}
      </NavList>
    </Nav>
  );
};

const PluginStatus: FC<{ failure?: string }> = ({ failure }) => {
  const extensions = useExtensions();
  const unsupported = useMemo(() => unsupportedExtensions(extensions), [extensions]);
  useEffect(() => {
    unsupported.forEach((type) =>
      console.warn(
        `userns-builds dev console: unsupported extension: ${type} (not placed anywhere)`,
      ),
    );
  }, [unsupported]);
  const [unresolved, setUnresolved] = useState<CodeRefFailure[]>([]);
  useEffect(() => {
    let live = true;
    void codeRefFailures(extensions).then((f) => live && setUnresolved(f));
    return () => {
      live = false;
    };
  }, [extensions]);
  if (!failure && unsupported.length === 0 && unresolved.length === 0) return null;
  return (
    <AlertGroup className="dev-console-plugin-status">
      {failure && (
        <Alert variant="danger" isInline title="The userns-builds plugin failed to load">
          {failure}
        </Alert>
      )}
      {unresolved.map((f) => (
        <Alert key={f.uid} variant="danger" isInline isPlain title={codeRefFailureMessage(f)} />
      ))}
      {unsupported.map((type) => (
        <Alert
          key={type}
          variant="warning"
          isInline
          isPlain
          title={`unsupported extension: ${type}`}
        />
      ))}
    </AlertGroup>
  );
};

/** Tracks the namespace in /k8s/ns/<ns>/... so useActiveNamespace follows the URL. */
const NamespaceFromURL: FC<{ onChange: (ns: string) => void }> = ({ onChange }) => {
  const { ns } = useParams();
  useEffect(() => {
    if (ns) onChange(ns);
  }, [ns, onChange]);
  return null;
};

type ResolvedContextProvider = {
  uid: string;
  properties: {
    provider: FC<{ value: unknown; children?: ReactNode }>;
    useValueHook: () => unknown;
  };
};

const withContextProviders = (
  providers: ResolvedContextProvider[],
  children: ReactNode,
): ReactNode =>
  providers.reduce(
    (acc, p) => (
      <ContextProviderHost key={p.uid} ext={p}>
        {acc}
      </ContextProviderHost>
    ),
    children,
  );

const ContextProviderHost: FC<{ ext: ResolvedContextProvider; children?: ReactNode }> = ({
  ext,
  children,
}) => {
  const { provider: Provider, useValueHook } = ext.properties;
  const value = useValueHook();
  return <Provider value={value}>{children}</Provider>;
};

export const App: FC<{ pluginFailure?: string; pluginPending: boolean }> = ({
  pluginFailure,
  pluginPending,
}) => {
  const [routes, routesResolved] = useResolvedExtensions(isRoute);
  const [contextProviders] = useResolvedExtensions(isContextProvider);
  const [namespace, setNamespaceState] = useState<string>(
    () => localStorage.getItem('dev-console.namespace') ?? ALL_NAMESPACES_KEY,
  );
  const nsContext = useMemo(
    () => ({
      namespace,
      setNamespace: (ns: string) => {
        localStorage.setItem('dev-console.namespace', ns);
        setNamespaceState(ns);
      },
    }),
    [namespace],
  );
  const masthead = (
    <Masthead>
      <MastheadMain>
        <MastheadBrand>
          <Link to="/" className="dev-console-brand">
            OpenShift <span>dev console</span>
          </Link>
        </MastheadBrand>
      </MastheadMain>
      <MastheadContent>
        <UserSwitcher />
      </MastheadContent>
    </Masthead>
  );
  const sidebar = (
    <PageSidebar>
      <PageSidebarBody>
        <Sidebar />
      </PageSidebarBody>
    </PageSidebar>
  );
  const resourceRoutes = (
    <>
      <Route path="/k8s/all-namespaces/:plural" element={<ResourceListPage />} />
      <Route
        path="/k8s/ns/:ns/:plural"
        element={
          <>
            <NamespaceFromURL onChange={nsContext.setNamespace} />
            <ResourceListPage />
          </>
        }
      />
      <Route path="/k8s/ns/:ns/:plural/~new" element={<CreateFromYAMLPage />} />
      <Route path="/k8s/cluster/:plural/~new" element={<CreateFromYAMLPage />} />
      <Route path="/k8s/ns/:ns/:plural/:name/*" element={<ResourceDetailsPage />} />
      <Route path="/k8s/cluster/:plural" element={<ResourceListPage />} />
      <Route path="/k8s/cluster/:plural/:name/*" element={<ResourceDetailsPage />} />
    </>
  );
  return (
    <ActiveNamespaceContext.Provider value={nsContext}>
      <OverlayProvider>
        <Page
          masthead={masthead}
          sidebar={sidebar}
          isManagedSidebar
          mainContainerId="content"
          // The main region scrolls; focusable, it can be scrolled from the keyboard (axe rule
          // scrollable-region-focusable) even on pages without links or buttons.
          mainTabIndex={0}
          isContentFilled
        >
          <ModelFlags />
          <PluginStatus failure={pluginFailure} />
          {withContextProviders(
            contextProviders as unknown as ResolvedContextProvider[],
            <Suspense fallback={<Spinner aria-label="Loading" />}>
              <Routes>
                <Route path="/" element={<DashboardPage />} />
                <Route path="/dashboards" element={<DashboardPage />} />
                <Route path="/settings/cluster" element={<ClusterSettingsPage />} />
                <Route path="/cluster-configuration" element={<ClusterConfigurationPage />} />
                <Route
                  path="/cluster-configuration/:group"
                  element={<ClusterConfigurationPage />}
                />
                {resourceRoutes}
                {routes.flatMap((r) =>
                  [r.properties.path].flat().map((path) => {
                    const C = r.properties.component;
                    return (
                      <Route
                        key={`${r.uid}${path}`}
                        path={r.properties.exact ? path : `${path}/*`}
                        element={<C />}
                      />
                    );
                  }),
                )}
                <Route
                  path="*"
                  element={
                    pluginPending || !routesResolved ? (
                      <Spinner aria-label="Loading plugin" />
                    ) : (
                      <NotFound what="Page" />
                    )
                  }
                />
              </Routes>
            </Suspense>,
          )}
          <Content component="small" className="dev-console-footer">
            Local dev console for the userns-builds plugin — not the OpenShift console.
          </Content>
        </Page>
      </OverlayProvider>
    </ActiveNamespaceContext.Provider>
  );
};
