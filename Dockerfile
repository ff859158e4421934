# userns-builds: one image, one process. The backend (admission webhook, verdict recorder,
# compliance API) also serves the console plugin's files under /plugin/, all over TLS with the
# service CA's serving certificate. Build: docker build -t userns-builds .  (or podman/buildah)
#
# Base images are pinned by tag and digest; bump both together (see docs/operations.md).

# Build stage: the full toolchain and dev dependencies, never shipped.
FROM registry.access.redhat.com/ubi9/nodejs-20:9.7-1778648167@sha256:74cc7b1d13592b1e425074f434b90e470ab209da85fd1fdb8e6e9e4cabaec51a AS build
WORKDIR /opt/app-root/src
COPY --chown=1001:0 package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY --chown=1001:0 . .
# The plugin bundle (dist/), then the runtime tree: backend.mjs (one file, its npm packages
# inside) and plugin/. The same script builds the tree that the tests start with plain node.
RUN npm run build && node scripts/build-runtime.mjs --out /opt/app-root/runtime

# Runtime stage: Node.js and the runtime tree, nothing else.
FROM registry.access.redhat.com/ubi9/nodejs-20-minimal:9.7-1770308981@sha256:106ce430764e40e96f07fd085c77a3e8855f8183578d0651e762a51e13648cf3
LABEL name="userns-builds" \
      summary="Run OpenShift builds in Linux user namespaces, and prove it" \
      io.k8s.description="Admission webhook, verdict recorder, compliance API and console plugin for user-namespace builds" \
      io.openshift.tags="openshift,builds,user-namespaces,console-plugin"
COPY --from=build --chown=0:0 /opt/app-root/runtime /opt/userns-builds
# Files owned by root and not writable by the process: the tree works with a read-only root
# filesystem, under any UID OpenShift's restricted-v2 SCC assigns (group 0).
USER 1001
EXPOSE 8443
ENV NODE_ENV=production
ENTRYPOINT ["node", "/opt/userns-builds/backend.mjs"]
CMD ["--plugin-dir", "/opt/userns-builds/plugin", "--tls-cert", "/var/serving-cert/tls.crt", "--tls-key", "/var/serving-cert/tls.key", "--in-cluster"]
