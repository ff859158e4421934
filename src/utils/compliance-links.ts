// Where the dashboard links to, in the console's URL scheme, in one place.

const seg = encodeURIComponent;

/** The plugin's dashboard page (console.page/route). */
export const COMPLIANCE_PATH = '/userns-builds/compliance';

/** The href of the dashboard's tab on a Project (console.tab/horizontalNav page.href). */
export const PROJECT_TAB_HREF = 'userns-compliance';

export const buildPath = (namespace: string, name: string): string =>
  `/k8s/ns/${seg(namespace)}/builds/${seg(name)}`;

/**
 * A BuildConfig's page. Its "User namespace" tab is where the toggle lives; until that tab is part
 * of this plugin the link lands on the BuildConfig itself.
 */
export const buildConfigPath = (namespace: string, name: string): string =>
  `/k8s/ns/${seg(namespace)}/buildconfigs/${seg(name)}`;

export const projectCompliancePath = (namespace: string): string =>
  `/k8s/cluster/projects/${seg(namespace)}/${PROJECT_TAB_HREF}`;
