#include "MatrixTable.h"

#include <QStringList>

#include <gtest/gtest.h>

namespace rd::test {

const QList<Role> &matrixColumns()
{
    static const QList<Role> columns {Role::Administrator, Role::Support, Role::ResellerAdmin,
        Role::ResellerManager, Role::ResellerUser, Role::ClientAdmin, Role::ClientUser};
    return columns;
}

QString matrixCell(const char *rows, const char *action, Role role)
{
    const QString wanted = QString::fromUtf8(action);
    for (const QString &line : QString::fromUtf8(rows).split(QLatin1Char('\n'))) {
        const QStringList cells = line.split(QLatin1Char('|'));
        if (cells.size() < 9 || cells.at(1).trimmed() != wanted)
            continue;
        return cells.at(2 + static_cast<int>(matrixColumns().indexOf(role))).trimmed();
    }
    ADD_FAILURE() << "no matrix row " << action;
    return {};
}

} // namespace rd::test
