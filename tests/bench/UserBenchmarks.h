#pragma once

#include "BenchOptions.h"
#include "CustomerListCandidate.h"

namespace rd::bench {

// The Users page at scale (issue 7, item 1): an administrator's scope is
// every membership of the installation (a Client Admin per customer).
// Registers, per backend, "BM_Users<Scenario>/<Backend>/<candidate>" for
//   ours:  UserTableModel (pages through UserService, sorted and filtered
//          by the database, KeysetPageCache; pages beyond the first read
//          on UserPageReader's worker connection, timed until they arrived;
//          jumps after the anchors the worker builds once the list opened);
//   naive: the page before it, UserService::listUsers() (every membership
//          of the scope) into a plain table model behind a
//          QSortFilterProxyModel sorted by email.
// Scenarios: UsersFirstScreen (open + first screen, also reports rss_mb and
// added_mb), UsersScrollToEnd (last screen of an open list),
// UsersJumpToMiddle (screen at row N/2 of an open list), UsersFilter (type
// a first name: the first screen of the matches).
void registerUserBenchmarks(const BenchContext &context, const BenchOptions &options);

int failedUserBenchmarks();

} // namespace rd::bench
