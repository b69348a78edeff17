#pragma once

#include <QList>
#include <QString>

#include "domain/Role.h"

namespace rd::test {

// The columns of DESIGN.md's section 3 table, in its order: Administrator,
// Support, Reseller Admin, Reseller Manager, Reseller User, Client Admin,
// Client User.
const QList<Role> &matrixColumns();

// One cell of a test's own literal copy of section 3 rows (markdown table
// lines "| action | Admin | … |"), for the action's row and the role's
// column, trimmed. A missing row is a test failure and an empty result. Each
// test keeps its own copy of the rows it checks, so a wrong permission
// table in the code cannot make the expectation wrong too.
QString matrixCell(const char *rows, const char *action, Role role);

} // namespace rd::test
