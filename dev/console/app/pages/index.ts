// The console's own pages, one file each; App.tsx routes to them.
export { ClusterConfigurationPage } from './cluster-configuration';
export { ClusterSettingsPage } from './cluster-settings';
export { CreateFromYAMLPage } from './create-from-yaml';
export { DashboardPage } from './dashboard';
export { ResourceDetailsPage } from './resource-details';
export { ResourceListPage } from './resource-list';
export { NotFound } from './shared';
