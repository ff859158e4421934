// What the builder prints. The first lines depend on the pod as admitted (after the webhooks),
// because that is what the kernel would have given it: the only runtime evidence there is.
import { createHash } from 'node:crypto';
import {
  CRIO_BUILDER_ANNOTATION,
  CRIO_USERNS_ANNOTATION,
  parseUsernsMode,
  type Build,
  type Container,
  type Pod,
} from '@userns-builds/core';
import { logLevelOf } from './buildpod';

export interface UserNamespace {
  hostId: number;
  size: number;
}

/**
 * The user namespace the pod's build container would get, or undefined for the node's. CRI-O
 * honours its userns annotation only for pods with the builder annotation; kubelet gives one for
 * hostUsers: false. Neither happens for a privileged container.
 */
export function userNamespaceOf(pod: Pod): UserNamespace | undefined {
  const containers: Container[] = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  if (containers.some((c) => c.securityContext?.privileged === true)) return undefined;
  const ann = pod.metadata.annotations ?? {};
  const mode = ann[CRIO_USERNS_ANNOTATION];
  // Deterministic per pod, aligned like CRI-O's and kubelet's allocations.
  const slot =
    createHash('sha256')
      .update(pod.metadata.uid ?? pod.metadata.name ?? '')
      .digest()
      .readUInt16BE(0) % 8192;
  if (mode !== undefined && CRIO_BUILDER_ANNOTATION in ann) {
    const parsed = parseUsernsMode(mode);
    if (parsed.ok) {
      const explicit = parsed.mode.uidMappings[0];
      if (explicit) return { hostId: explicit.hostId, size: explicit.size };
      return { hostId: 100000 + slot * 65536, size: parsed.mode.size ?? 65536 };
    }
  }
  if (pod.spec.hostUsers === false) return { hostId: (slot + 1) * 65536, size: 65536 };
  return undefined;
}

function klog(at: Date, file: string, msg: string): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const us = p(at.getUTCMilliseconds() * 1000, 6);
  return `I${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())} ${p(at.getUTCHours())}:${p(at.getUTCMinutes())}:${p(at.getUTCSeconds())}.${us}       1 ${file}] ${msg}`;
}

/** The builder binary's preamble, printed by every build container at BUILD_LOGLEVEL>=2. */
export function preamble(pod: Pod, build: Build, at: Date): string[] {
  if (logLevelOf(build) < 2) return [];
  const userns = userNamespaceOf(pod);
  const nsLine = userns
    ? `Started in kernel user namespace with UID map [(0:${userns.hostId}:${userns.size})] and GID map [(0:${userns.hostId}:${userns.size})].`
    : 'Started in node (default) kernel user namespace';
  const redacted = JSON.stringify({
    kind: 'Build',
    apiVersion: 'build.openshift.io/v1',
    metadata: { name: build.metadata.name, namespace: build.metadata.namespace },
  });
  return [
    klog(
      at,
      'builder.go:393',
      'openshift-builder 4.20.0-202511140542.p2.g3f4b0c9.assembly.stream.el9-3f4b0c9',
    ),
    klog(at, 'builder.go:394', `redacted build: ${redacted}`),
    klog(at, 'builder.go:395', nsLine),
  ];
}

function commitOf(build: Build): string {
  return createHash('sha1')
    .update(`${build.metadata.namespace}/${build.metadata.name}`)
    .digest('hex');
}

/** Lines per container for the part of the build up to the build step. */
export function runningLogs(pod: Pod, build: Build, at: Date): Record<string, string[]> {
  const pre = preamble(pod, build, at);
  const out: Record<string, string[]> = {};
  const git = build.spec.source?.git;
  const ns = build.metadata.namespace;
  for (const c of pod.spec.initContainers ?? []) {
    if (c.name === 'git-clone' && git) {
      out[c.name] = [
        ...pre,
        `Cloning "${git.uri}" ...`,
        `\tCommit:\t${commitOf(build)} (Update dependencies)`,
        '\tAuthor:\tDemo Developer <developer@example.com>',
        `\tDate:\t${at.toUTCString()}`,
      ];
    } else out[c.name] = [...pre];
  }
  const main = pod.spec.containers[0]!;
  const type = build.spec.strategy.type;
  const lines = [...pre];
  if (type === 'Docker') {
    lines.push(
      'Replaced Dockerfile FROM image registry.access.redhat.com/ubi9/ubi-minimal:latest',
      'Caching blobs under "/var/cache/blobs".',
      '',
      'Pulling image registry.access.redhat.com/ubi9/ubi-minimal:latest ...',
      'Trying to pull registry.access.redhat.com/ubi9/ubi-minimal:latest...',
      'Getting image source signatures',
      'Writing manifest to image destination',
      'STEP 1/5: FROM registry.access.redhat.com/ubi9/ubi-minimal:latest',
      'STEP 2/5: WORKDIR /opt/app-root/src',
      'STEP 3/5: COPY . .',
      'STEP 4/5: RUN microdnf install -y make && make build',
    );
  } else if (type === 'Source') {
    lines.push(
      'time="2025-11-20T10:14:22Z" level=info msg="Not using --skip-unused-stages since BuildKit mode is disabled"',
      'Caching blobs under "/var/cache/blobs".',
      'Trying to pull image-registry.openshift-image-registry.svc:5000/openshift/nodejs:20-ubi9...',
      'Getting image source signatures',
      'Writing manifest to image destination',
      'Generating dockerfile with builder image image-registry.openshift-image-registry.svc:5000/openshift/nodejs:20-ubi9',
      'Adding transient rw bind mount for /run/secrets/rhsm',
      'STEP 1/9: FROM image-registry.openshift-image-registry.svc:5000/openshift/nodejs:20-ubi9',
      'STEP 8/9: RUN /usr/libexec/s2i/assemble',
      '---> Installing application source ...',
      '---> Installing all dependencies',
    );
  } else {
    lines.push(
      `Custom builder ${main.image ?? ''} starting for ${ns}/${build.metadata.name}`,
      'Running build script ...',
    );
  }
  out[main.name] = lines;
  return out;
}

/** The build container's last lines. */
export function finishLines(build: Build, succeeded: boolean): string[] {
  const to = build.spec.output?.to;
  const ref = to
    ? `image-registry.openshift-image-registry.svc:5000/${to.namespace ?? build.metadata.namespace}/${to.name}`
    : '';
  if (!succeeded) {
    return [
      'error: build error: building at STEP "RUN make build": while running runtime: exit status 2',
    ];
  }
  return [
    'STEP 5/5: CMD ["./run"]',
    `COMMIT ${ref || 'temp.builder.openshift.io/build:latest'}`,
    ...(ref
      ? [
          `Successfully tagged ${ref}`,
          `Pushing image ${ref} ...`,
          'Getting image source signatures',
          'Copying blob sha256:4b1c5e1f9a3d',
          'Writing manifest to image destination',
          `Successfully pushed ${ref}@sha256:${commitOf(build).padEnd(64, '0')}`,
          'Push successful',
        ]
      : []),
  ];
}

/** Container logs per pod, with followers for `?follow=true`. */
export class LogStore {
  private readonly logs = new Map<string, Record<string, string[]>>();
  private readonly followers = new Map<
    string,
    Set<(container: string, line: string | null) => void>
  >();

  append(ns: string, pod: string, container: string, lines: string[]): void {
    const key = `${ns}/${pod}`;
    const entry = this.logs.get(key) ?? {};
    (entry[container] ??= []).push(...lines);
    this.logs.set(key, entry);
    for (const f of this.followers.get(key) ?? []) for (const l of lines) f(container, l);
  }

  /** Signals followers that the pod will write no more. */
  end(ns: string, pod: string): void {
    const key = `${ns}/${pod}`;
    for (const f of this.followers.get(key) ?? []) f('', null);
    this.followers.delete(key);
  }

  get(ns: string, pod: string, container: string): string[] {
    return this.logs.get(`${ns}/${pod}`)?.[container] ?? [];
  }

  follow(ns: string, pod: string, f: (container: string, line: string | null) => void): () => void {
    const key = `${ns}/${pod}`;
    const set = this.followers.get(key) ?? new Set();
    set.add(f);
    this.followers.set(key, set);
    return () => set.delete(f);
  }

  delete(ns: string, pod: string): void {
    this.logs.delete(`${ns}/${pod}`);
  }

  toJSON(): Record<string, Record<string, string[]>> {
    return Object.fromEntries(this.logs);
  }

  load(data: Record<string, Record<string, string[]>> | undefined): void {
    this.logs.clear();
    for (const [k, v] of Object.entries(data ?? {})) this.logs.set(k, v);
  }
}
