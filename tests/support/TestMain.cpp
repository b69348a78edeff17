#include <cstdlib>

#include <QCoreApplication>

#include <gtest/gtest.h>

// Every test binary runs inside a QCoreApplication: the SQL drivers are
// plugins and QtSql needs an application object to load them.
int main(int argc, char **argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("ResellerDeskTests"));
    QCoreApplication::setApplicationName(QStringLiteral("resellerdesk-tests"));
    return RUN_ALL_TESTS();
}
