import { accountStreams, START_PAGES, type StartPage } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { invalid } from '../../errors';
import { type AccountsContext } from '../user.context';
import { requireUser } from './require-user';

export interface ChooseStartPage {
  user_id: string;
  start_page: string;
}

/** A person's own setting: the page they land on after signing in. The same page again is no change. */
export function decideChooseStartPage(cmd: ChooseStartPage, ctx: AccountsContext): Decision {
  const user = requireUser(ctx, cmd.user_id);
  if (!START_PAGES.includes(cmd.start_page as StartPage))
    throw invalid(
      `start_page must be one of ${START_PAGES.join(', ')}`,
      { field: 'start_page', given: cmd.start_page },
      'invalid_value',
    );
  const to = cmd.start_page as StartPage;
  const b = new DecisionBuilder();
  if (user.start_page === to) return b.build();
  b.emit(accountStreams.user(user.id), user.version, {
    type: 'StartPageChosen',
    data: { user_id: user.id, from: user.start_page, to },
  });
  return b.build();
}
