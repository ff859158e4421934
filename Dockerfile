# The console plugin image: build dist/ with Node 20, serve it with unprivileged nginx over TLS on
# 9443. Minimal for now; the deployment issue adds the manifests that mount the serving cert.

FROM docker.io/library/node:20 AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# Only what the plugin build reads (webpack compiles src/ and the shared core/).
COPY tsconfig.json webpack.config.ts console-extensions.json ./
COPY core ./core
COPY src ./src
COPY locales ./locales
RUN npm run build

FROM docker.io/nginxinc/nginx-unprivileged:stable-alpine
# The console proxies /api/plugins/userns-builds/* to this service's root, so dist/ is served at /.
COPY --from=build /src/dist /usr/share/nginx/html
# TLS material comes from the service CA's serving-cert secret, mounted at /var/serving-cert.
# Written inline (no heredoc) so the legacy builder, without BuildKit, can build this too.
USER root
RUN printf '%s\n' \
      'server {' \
      '    listen 9443 ssl;' \
      '    listen [::]:9443 ssl;' \
      '    ssl_certificate /var/serving-cert/tls.crt;' \
      '    ssl_certificate_key /var/serving-cert/tls.key;' \
      '    root /usr/share/nginx/html;' \
      '    location / {' \
      '        try_files $uri =404;' \
      '    }' \
      '}' > /etc/nginx/conf.d/default.conf
EXPOSE 9443
USER 101
