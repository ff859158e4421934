// The SDK's presentational components, built from PatternFly the way the console renders them,
// so plugin pages look and behave (links, headings, landmarks) like they will in the console.
import {
  useEffect,
  useMemo,
  useState,
  type ComponentType,
  type FC,
  type ReactElement,
  type ReactNode,
} from 'react';
import { Link } from 'react-router';
import {
  Button,
  Content,
  Icon,
  PageSection,
  SearchInput,
  Spinner,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
  Tooltip,
} from '@patternfly/react-core';
import {
  CheckCircleIcon,
  ExclamationCircleIcon,
  ExclamationTriangleIcon,
  InfoCircleIcon,
  InProgressIcon,
} from '@patternfly/react-icons';
import type {
  K8sGroupVersionKind,
  K8sModel,
  ListPageHeaderProps,
  ResourceLinkProps,
  TimestampProps,
} from '@openshift-console/dynamic-plugin-sdk';
import { modelRegistry, referenceForModel } from './models';

const modelOf = (kind?: string, gvk?: K8sGroupVersionKind): K8sModel | undefined =>
  modelRegistry.find(gvk ?? kind);

/** The console's URL segment for a model: plural for built-in kinds, a reference for CRDs. */
export const modelUrlSegment = (m: K8sModel): string => (m.crd ? referenceForModel(m) : m.plural);

/** The console's resource URL: /k8s/ns/<ns>/<segment>/<name> or /k8s/cluster/<segment>/<name>. */
export const resourcePath = (m: K8sModel, name?: string, namespace?: string): string => {
  const base =
    m.namespaced && namespace
      ? `/k8s/ns/${namespace}/${modelUrlSegment(m)}`
      : m.namespaced
        ? `/k8s/all-namespaces/${modelUrlSegment(m)}`
        : `/k8s/cluster/${modelUrlSegment(m)}`;
  return name ? `${base}/${encodeURIComponent(name)}` : base;
};

export const ResourceIcon: FC<{
  kind?: string;
  groupVersionKind?: K8sGroupVersionKind;
  className?: string;
}> = ({ kind, groupVersionKind, className }) => {
  const m = modelOf(kind, groupVersionKind);
  const label = m?.abbr ?? (groupVersionKind?.kind ?? kind ?? '?').slice(0, 2).toUpperCase();
  return (
    <span
      className={`co-m-resource-icon ${className ?? ''}`}
      title={m?.label ?? groupVersionKind?.kind ?? kind}
    >
      {label}
    </span>
  );
};

export const ResourceLink: FC<ResourceLinkProps> = ({
  kind,
  groupVersionKind,
  className,
  displayName,
  inline,
  linkTo = true,
  name,
  namespace,
  hideIcon,
  title,
  dataTest,
  onClick,
  nameSuffix,
  children,
}) => {
  if (!name && !displayName) return null;
  const m = modelOf(kind, groupVersionKind);
  const value = displayName || name;
  const path = m && name ? resourcePath(m, name, namespace) : undefined;
  return (
    <span
      className={`co-resource-item ${inline ? 'co-resource-item--inline' : ''} ${className ?? ''}`}
    >
      {!hideIcon && <ResourceIcon kind={kind} groupVersionKind={groupVersionKind} />}
      {linkTo && path ? (
        <Link to={path} title={title} data-test={dataTest ?? value} onClick={onClick}>
          {value}
          {nameSuffix}
        </Link>
      ) : (
        <span data-test={dataTest ?? value} title={title}>
          {value}
          {nameSuffix}
        </span>
      )}
      {children}
    </span>
  );
};

export const ListPageHeader: FC<ListPageHeaderProps> = ({
  title,
  badge,
  children,
  helpAlert,
  helpText,
}) => (
  <PageSection className="co-m-nav-title">
    <div className="dev-console-list-header">
      {title && (
        <Title headingLevel="h1" data-test="page-heading">
          {title} {badge}
        </Title>
      )}
      {children && <div className="dev-console-list-header__actions">{children}</div>}
    </div>
    {helpText && <Content component="p">{helpText}</Content>}
    {helpAlert}
  </PageSection>
);

export const ListPageBody: FC<{ children?: ReactNode }> = ({ children }) => (
  <PageSection>{children}</PageSection>
);

export const ListPageCreateLink: FC<{ to: string; children?: ReactNode }> = ({ to, children }) => (
  <Link to={to} className="pf-v6-c-button pf-m-primary">
    {children}
  </Link>
);

export const ListPageCreateButton: FC<{ children?: ReactNode; onClick?: () => void }> = ({
  children,
  ...props
}) => (
  <Button variant="primary" {...props}>
    {children}
  </Button>
);

export const ListPageCreate: FC<{
  groupVersionKind: string | K8sGroupVersionKind;
  children?: ReactNode;
}> = ({ groupVersionKind, children }) => {
  const m = modelRegistry.find(groupVersionKind);
  return m ? (
    <ListPageCreateLink to={`${resourcePath(m)}/~new`}>{children}</ListPageCreateLink>
  ) : null;
};

/** A name filter, the part of the console's ListPageFilter that plugins lean on. */
export const ListPageFilter: FC<{
  onFilterChange: (type: string, value: { selected?: string[]; all?: string[] }) => void;
  nameFilterPlaceholder?: string;
  nameFilter?: string;
}> = ({ onFilterChange, nameFilterPlaceholder, nameFilter = 'name' }) => {
  const [value, setValue] = useState('');
  return (
    <Toolbar>
      <ToolbarContent>
        <ToolbarItem>
          <SearchInput
            aria-label={nameFilterPlaceholder ?? 'Filter by name'}
            placeholder={nameFilterPlaceholder ?? 'Filter by name...'}
            value={value}
            onChange={(_e, v) => {
              setValue(v);
              onFilterChange(nameFilter, { selected: [v] });
            }}
            onClear={() => {
              setValue('');
              onFilterChange(nameFilter, { selected: [] });
            }}
          />
        </ToolbarItem>
      </ToolbarContent>
    </Toolbar>
  );
};

export const useListPageFilter = <D,>(
  data: D[],
): [D[], D[], (type: string, v: { selected?: string[] }) => void] => {
  const [name, setName] = useState('');
  const filtered = useMemo(
    () =>
      name
        ? data.filter((d) =>
            ((d as { metadata?: { name?: string } }).metadata?.name ?? '').includes(name),
          )
        : data,
    [data, name],
  );
  return [data, filtered, (_type, v) => setName(v.selected?.[0] ?? '')];
};

const dateFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});

export const Timestamp: FC<TimestampProps> = ({ timestamp, simple, className }) => {
  if (!timestamp) return <div className="co-timestamp">-</div>;
  const d = new Date(timestamp);
  if (Number.isNaN(d.getTime())) return <div className="co-timestamp">-</div>;
  const text = dateFormat.format(d);
  return simple ? (
    <>{text}</>
  ) : (
    <span className={`co-timestamp ${className ?? ''}`}>
      <time dateTime={d.toISOString()}>{text}</time>
    </span>
  );
};

type ColoredIconProps = { className?: string; title?: string; size?: 'sm' | 'md' | 'lg' | 'xl' };

const colored = (
  Svg: ComponentType<{ title?: string }>,
  status: 'success' | 'danger' | 'warning' | 'info',
): FC<ColoredIconProps> => {
  const ColoredIcon: FC<ColoredIconProps> = ({ className, title }) => (
    <Icon status={status} className={className} isInline>
      <Svg title={title} />
    </Icon>
  );
  return ColoredIcon;
};

export const GreenCheckCircleIcon = colored(CheckCircleIcon, 'success');
export const RedExclamationCircleIcon = colored(ExclamationCircleIcon, 'danger');
export const YellowExclamationTriangleIcon = colored(ExclamationTriangleIcon, 'warning');
export const BlueInfoCircleIcon = colored(InfoCircleIcon, 'info');

type StatusProps = {
  title?: string;
  iconOnly?: boolean;
  noTooltip?: boolean;
  className?: string;
  icon?: ReactElement;
  spin?: boolean;
  children?: ReactNode;
  popoverTitle?: string;
};

export const StatusIconAndText: FC<StatusProps> = ({
  icon,
  title,
  iconOnly,
  noTooltip,
  className,
}) => {
  if (!title) return <>-</>;
  const content = (
    <span className={`co-icon-and-text ${className ?? ''}`} data-test="status-text">
      {icon && <span className="co-icon-and-text__icon">{icon}</span>}
      {!iconOnly && title}
    </span>
  );
  return iconOnly && !noTooltip ? <Tooltip content={title}>{content}</Tooltip> : content;
};

export const GenericStatus: FC<StatusProps & { Icon: ComponentType<{ title?: string }> }> = ({
  Icon: StatusIcon,
  ...props
}) => <StatusIconAndText {...props} icon={<StatusIcon title={props.title} />} />;

export const SuccessStatus: FC<StatusProps> = (p) => (
  <GenericStatus {...p} Icon={GreenCheckCircleIcon} />
);
export const ErrorStatus: FC<StatusProps> = (p) => (
  <GenericStatus {...p} Icon={RedExclamationCircleIcon} />
);
export const InfoStatus: FC<StatusProps> = (p) => (
  <GenericStatus {...p} Icon={BlueInfoCircleIcon} />
);
export const ProgressStatus: FC<StatusProps> = (p) => (
  <GenericStatus {...p} Icon={InProgressIcon} />
);
export const PopoverStatus: FC<StatusProps> = ({ children, ...p }) => (
  <StatusIconAndText {...p}>{children}</StatusIconAndText>
);

/** The console's Status: a status string mapped to an icon and the string itself. */
export const StatusComponent: FC<{
  status: string;
  title?: string;
  iconOnly?: boolean;
  className?: string;
}> = ({ status, title, ...rest }) => {
  const t = title || status;
  switch (status) {
    case 'Complete':
    case 'Completed':
    case 'Succeeded':
    case 'Running':
    case 'Ready':
    case 'Enabled':
      return <SuccessStatus {...rest} title={t} />;
    case 'Failed':
    case 'Error':
    case 'Cancelled':
      return <ErrorStatus {...rest} title={t} />;
    case 'New':
    case 'Pending':
    case 'In Progress':
      return <ProgressStatus {...rest} title={t} />;
    case 'Warning':
      return <GenericStatus {...rest} title={t} Icon={YellowExclamationTriangleIcon} />;
    default:
      return <StatusIconAndText {...rest} title={t} />;
  }
};

export const ResourceStatus: FC<{ additionalClassNames?: string; children?: ReactNode }> = ({
  additionalClassNames,
  children,
}) => (
  <span className={`dev-console-resource-status ${additionalClassNames ?? ''}`}>{children}</span>
);

export const DocumentTitle: FC<{ children: string }> = ({ children }) => {
  useEffect(() => {
    document.title = `${children} · Red Hat OpenShift (dev shell)`;
  }, [children]);
  return null;
};

export const ErrorBoundaryFallbackPage: FC<{ title: string; errorMessage: string }> = ({
  title,
  errorMessage,
}) => (
  <PageSection>
    <Title headingLevel="h1">{title}</Title>
    <Content component="pre">{errorMessage}</Content>
  </PageSection>
);

export const LoadingBox: FC = () => (
  <PageSection>
    <Spinner aria-label="Loading" />
  </PageSection>
);

// The Overview / Inventory family used by dashboard cards: thin layout wrappers in the console.
export const Overview: FC<{ className?: string; children?: ReactNode }> = ({
  className,
  children,
}) => <PageSection className={className}>{children}</PageSection>;
export const OverviewGrid: FC<{
  mainCards: { Card: FC }[];
  leftCards?: { Card: FC }[];
  rightCards?: { Card: FC }[];
}> = ({ mainCards, leftCards = [], rightCards = [] }) => (
  <div className="dev-console-dashboard-grid">
    {[...leftCards, ...mainCards, ...rightCards].map(({ Card }, i) => (
      <Card key={i} />
    ))}
  </div>
);
export const InventoryItem: FC<{ children?: ReactNode }> = ({ children }) => (
  <div className="co-inventory-card__item">{children}</div>
);
export const InventoryItemTitle: FC<{ children?: ReactNode }> = ({ children }) => (
  <div className="co-inventory-card__item-title">{children}</div>
);
export const InventoryItemBody: FC<{ children?: ReactNode; error?: unknown }> = ({ children }) => (
  <div className="co-inventory-card__item-status">{children}</div>
);
export const InventoryItemStatus: FC<{ count: number; icon: ReactNode; linkTo?: string }> = ({
  count,
  icon,
  linkTo,
}) => (
  <span>
    {icon} {linkTo ? <Link to={linkTo}>{count}</Link> : count}
  </span>
);
export const InventoryItemLoading: FC = () => <Spinner size="md" aria-label="Loading" />;
export const StatusPopupSection: FC<{
  firstColumn: ReactNode;
  secondColumn?: ReactNode;
  children?: ReactNode;
}> = ({ firstColumn, secondColumn, children }) => (
  <div>
    <div>
      {firstColumn} {secondColumn}
    </div>
    {children}
  </div>
);
export const StatusPopupItem: FC<{ value?: string; icon?: ReactNode; children?: ReactNode }> = ({
  value,
  icon,
  children,
}) => (
  <div>
    {children} {icon} {value}
  </div>
);

/** Metrics need Prometheus, which the local cluster doesn't have; say so instead of faking data. */
export const QueryBrowser: FC = () => (
  <Content component="p">Metrics are not available in the local dev console.</Content>
);
