import { PASSWORD_MIN_LENGTH } from '@crm/domain';
import { ref } from 'vue';

/** The server's password rule in a sentence, shown under every field that sets a password. */
export const PASSWORD_RULE = `At least ${PASSWORD_MIN_LENGTH} characters, not a common password and not your email or name; a passphrase of a few words works well.`;

/**
 * The state every form that sets a password shares: the password typed twice, the error shown, and
 * a submit that checks the two match, keeps the button busy while `action` runs and shows its error.
 */
export function usePasswordForm(mismatch = 'The two passwords differ.') {
  const password = ref('');
  const confirm = ref('');
  const error = ref('');
  const busy = ref(false);

  async function submit(action: () => Promise<void>): Promise<void> {
    error.value = '';
    if (password.value !== confirm.value) {
      error.value = mismatch;
      return;
    }
    busy.value = true;
    try {
      await action();
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      busy.value = false;
    }
  }

  return { password, confirm, error, busy, submit };
}
