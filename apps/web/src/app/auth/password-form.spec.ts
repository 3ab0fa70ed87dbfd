import { usePasswordForm } from './password-form';

describe('usePasswordForm', () => {
  it('refuses two different passwords without running the action', async () => {
    const f = usePasswordForm('The two new passwords differ.');
    f.password.value = 'Velvet-Compass-Harbor-1';
    f.confirm.value = 'Velvet-Compass-Harbor-2';
    const action = jest.fn(async () => undefined);
    await f.submit(action);
    expect(action).not.toHaveBeenCalled();
    expect(f.error.value).toBe('The two new passwords differ.');
    expect(f.busy.value).toBe(false);
  });

  it('is busy while the action runs, shows what it failed with, and clears the error on the next try', async () => {
    const f = usePasswordForm();
    f.password.value = f.confirm.value = 'Velvet-Compass-Harbor-1';
    let busyDuring = false;
    await f.submit(async () => {
      busyDuring = f.busy.value;
      throw new Error('this invite was already used');
    });
    expect(busyDuring).toBe(true);
    expect(f.busy.value).toBe(false);
    expect(f.error.value).toBe('this invite was already used');
    await f.submit(async () => undefined);
    expect(f.error.value).toBe('');
  });
});
