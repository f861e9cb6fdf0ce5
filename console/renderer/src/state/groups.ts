import type { SupportGroup } from '@tillscope/shared';
import type { ApiClient } from '../api/client';
import { Store, useStore } from './store';

export interface GroupsState {
  /** the server's groups; null until they came, or when they could not be had */
  groups: readonly SupportGroup[] | null;
  /** the last load failed: pickers fall back to the built-in groups */
  failed: boolean;
}

/**
 * The support groups (GET /api/groups), loaded once when a screen first needs them and again on
 * reload(); admins change them rarely. A failure leaves `groups` null and says so.
 */
export class GroupDirectory {
  readonly state = new Store<GroupsState>({ groups: null, failed: false });
  private loading: Promise<void> | null = null;

  constructor(private readonly api: Pick<ApiClient, 'groups'>) {}

  /** Loads the groups unless they are here, on their way, or failed (then reload() tries again). */
  ensure(): void {
    const { groups, failed } = this.state.get();
    if (groups || failed || this.loading) return;
    void this.reload();
  }

  reload(): Promise<void> {
    // A load that reset() or a newer reload() replaced changes nothing when it answers.
    const settle = (next: GroupsState) => {
      if (this.loading !== load) return;
      this.loading = null;
      this.state.set(next);
    };
    const load: Promise<void> = Promise.resolve()
      .then(() => this.api.groups())
      .then(
        (list) => settle({ groups: list.groups, failed: false }),
        () => settle({ groups: null, failed: true }),
      );
    this.loading = load;
    return load;
  }

  reset(): void {
    this.loading = null;
    this.state.set({ groups: null, failed: false });
  }
}

/** The groups for a screen: asks for them on first use. */
export function useGroups(directory: GroupDirectory): GroupsState {
  const value = useStore(directory.state);
  directory.ensure();
  return value;
}
