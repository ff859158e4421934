// The shell's `@openshift-console/dynamic-plugin-sdk-internal` shared module. The console shares
// it for its own packages; this plugin doesn't import it, so it carries only what plugins
// commonly reach for, built from the same pieces as the public SDK module.
export { useActiveNamespace, useUserSettings } from './hooks';
export { HorizontalNav } from './nav';
