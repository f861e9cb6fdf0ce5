import type { SupportGroup } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';
import { ErrorBanner } from './common';
import { SavedNote } from './service-common';

const USERNAME = /^[^\s/?#]{1,64}$/;
const MAX_GROUPS = 16;

/**
 * An engineer's groups (admins): the queue's "my groups" shows theirs. Typing a known member shows
 * the groups they are in now; archived groups are offered only while the engineer is still in one.
 */
export function UserGroupsEditor({ api, groups, onSaved }: { api: ApiClient; groups: readonly SupportGroup[]; onSaved: () => void }) {
  const { t, l } = useI18n();
  const [username, setUsername] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [problem, setProblem] = useState<'username' | 'tooMany' | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const members = [...new Set(groups.flatMap((g) => g.members))].sort();
  const groupsOf = (name: string) => groups.filter((g) => g.members.includes(name)).map((g) => g.id);
  const offered = groups.filter((g) => !g.archived || chosen.includes(g.id));

  const typeName = (name: string) => {
    setUsername(name);
    setChosen(groupsOf(name.trim()));
    setSaved(false);
  };
  const toggle = (id: string, on: boolean) => setChosen(on ? [...chosen, id] : chosen.filter((g) => g !== id));
  const save = () => {
    const name = username.trim();
    setFailure(null);
    if (!USERNAME.test(name)) return setProblem('username');
    if (chosen.length > MAX_GROUPS) return setProblem('tooMany');
    setProblem(null);
    api.saveUserGroups(name, chosen).then(() => {
      setSaved(true);
      onSaved();
    }, setFailure);
  };

  return (
    <form
      class="user-groups"
      data-testid="svc-user-groups"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <h3>{t('svc.groups.userTitle')}</h3>
      <label class="field">
        <span>{t('svc.groups.username')}</span>
        <input data-testid="svc-user-name" list="svc-user-names" value={username} maxLength={64} aria-invalid={problem === 'username' ? 'true' : undefined} onInput={(e) => typeName(e.currentTarget.value)} />
        <datalist id="svc-user-names">
          {members.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
      </label>
      <div class="group-checks">
        {offered.map((g) => (
          <label key={g.id} class="opt">
            <input type="checkbox" data-testid={`svc-user-group-${g.id}`} checked={chosen.includes(g.id)} onChange={(e) => toggle(g.id, e.currentTarget.checked)} />
            <span>{l(g.title)}</span>
          </label>
        ))}
      </div>
      {problem ? (
        <p class="text-red small" role="alert" data-testid="svc-user-problem">
          {t(problem === 'username' ? 'svc.groups.error.username' : 'svc.groups.error.tooMany', { max: MAX_GROUPS })}
        </p>
      ) : null}
      <ErrorBanner error={failure} testid="svc-user-save-error" />
      <div class="actions">
        <button type="submit" class="btn btn-primary btn-small" data-testid="svc-user-save">
          {t('svc.save')}
        </button>
        <SavedNote shown={saved} testid="svc-user-saved" />
      </div>
    </form>
  );
}
