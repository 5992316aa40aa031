import type { RoleView } from '../../shared/workforce/channels';

/** The options of a "choose a role" list, worded the same wherever a role is picked. */
export function RoleOptions({ roles }: { roles: Pick<RoleView, 'id' | 'title' | 'services' | 'band'>[] }) {
  return (
    <>
      <option value="">Choose a role</option>
      {roles.map((r) => (
        <option key={r.id} value={r.id}>
          {r.title} (band {r.band}
          {r.services ? `, ${r.services}` : ''})
        </option>
      ))}
    </>
  );
}
