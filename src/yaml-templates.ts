// The console's "Create BuildPolicy" YAML editor starts from this (console.yaml-template). The
// policy is a singleton the backend only reads under the name `cluster`, so the template says so.
import { POLICY_GROUP, POLICY_KIND, POLICY_NAME, POLICY_VERSION } from '@userns-builds/core';
import { policyEditorPath } from './models';

export const buildPolicyTemplate = `# The same policy as a form, with its impact on every BuildConfig before saving:
# ${policyEditorPath} (Builds → User namespace builds → Edit policy).
apiVersion: ${POLICY_GROUP}/${POLICY_VERSION}
kind: ${POLICY_KIND}
metadata:
  name: ${POLICY_NAME}
spec:
  userNamespaces:
    # Builds that do not set BUILD_PRIVILEGED run in a user namespace.
    default: Enabled
    # Required would also override builds that set BUILD_PRIVILEGED=true.
    override: None
    mode: CRIOAnnotation
    exemptNamespaces: []
  buildDefaults:
    annotations: {}
  buildOverrides:
    annotations: {}
  passthroughAnnotations: []
`;
