// Impersonation (`Impersonate-User`/`Impersonate-Group`, what `kubectl --as`/`--as-group` send):
// who may act as whom, checked like any other request against the RBAC table.
import { ApiError, badRequest } from './errors';
import {
  allowed,
  forbiddenMessage,
  impersonatedUser,
  type Attributes,
  type DemoUser,
} from './rbac';

/** Request headers one value per header line, as `IncomingMessage.headersDistinct` has them. */
export type DistinctHeaders = Readonly<Record<string, readonly string[] | undefined>>;

/**
 * The user a request acts as: `user` itself without impersonation headers, else the impersonated
 * user once `user` may impersonate it and each group. Like the API server, an empty
 * `Impersonate-User` impersonates no one, only the first one counts, and each `Impersonate-Group`
 * line is one group (a group name may hold a comma).
 */
export function impersonate(user: DemoUser, headers: DistinctHeaders): DemoUser {
  const name = headers['impersonate-user']?.[0] ?? '';
  const groups = headers['impersonate-group'] ?? [];
  if (!name) {
    if (groups.length)
      throw badRequest(
        `requested [${groups.map((g) => `{Group  ${g}  }`).join(' ')}] without impersonating a user`,
      );
    return user;
  }
  const checks: (Attributes & { name: string })[] = [
    { verb: 'impersonate', group: '', resource: 'users', name },
    ...groups.map((g) => ({ verb: 'impersonate', group: '', resource: 'groups', name: g })),
  ];
  for (const a of checks) {
    if (!allowed(user, a))
      throw new ApiError(403, 'Forbidden', forbiddenMessage(user.username, a), {
        name: a.name,
        kind: a.resource,
      });
  }
  return impersonatedUser(name, [...groups]);
}
