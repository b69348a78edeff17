#include "domain/Role.h"

#include <QCoreApplication>

namespace rd {

int rank(Role role)
{
    switch (role) {
    case Role::Administrator:
        return 7;
    case Role::Support:
        return 6;
    case Role::ResellerAdmin:
        return 5;
    case Role::ResellerManager:
        return 4;
    case Role::ResellerUser:
        return 3;
    case Role::ClientAdmin:
        return 2;
    case Role::ClientUser:
        return 1;
    }
    Q_UNREACHABLE();
    return 0;
}

bool outranksOrEquals(Role a, Role b)
{
    return rank(a) >= rank(b);
}

QString roleKey(Role role)
{
    switch (role) {
    case Role::Administrator:
        return QStringLiteral("administrator");
    case Role::Support:
        return QStringLiteral("support");
    case Role::ResellerAdmin:
        return QStringLiteral("reseller_admin");
    case Role::ResellerManager:
        return QStringLiteral("reseller_manager");
    case Role::ResellerUser:
        return QStringLiteral("reseller_user");
    case Role::ClientAdmin:
        return QStringLiteral("client_admin");
    case Role::ClientUser:
        return QStringLiteral("client_user");
    }
    Q_UNREACHABLE();
    return QString();
}

std::optional<Role> roleFromKey(QStringView key)
{
    const QList<Role> roles = allRoles();
    for (const Role role : roles) {
        if (key == roleKey(role))
            return role;
    }
    return std::nullopt;
}

QString roleDisplayName(Role role)
{
    switch (role) {
    case Role::Administrator:
        return QCoreApplication::translate("Role", "Administrator");
    case Role::Support:
        return QCoreApplication::translate("Role", "Support");
    case Role::ResellerAdmin:
        return QCoreApplication::translate("Role", "Reseller Admin");
    case Role::ResellerManager:
        return QCoreApplication::translate("Role", "Reseller Manager");
    case Role::ResellerUser:
        return QCoreApplication::translate("Role", "Reseller User");
    case Role::ClientAdmin:
        return QCoreApplication::translate("Role", "Client Admin");
    case Role::ClientUser:
        return QCoreApplication::translate("Role", "Client User");
    }
    Q_UNREACHABLE();
    return QString();
}

ContextKind contextKindOf(Role role)
{
    switch (role) {
    case Role::Administrator:
    case Role::Support:
        return ContextKind::Vendor;
    case Role::ResellerAdmin:
    case Role::ResellerManager:
    case Role::ResellerUser:
        return ContextKind::Reseller;
    case Role::ClientAdmin:
    case Role::ClientUser:
        return ContextKind::Customer;
    }
    Q_UNREACHABLE();
    return ContextKind::Customer;
}

QList<Role> allRoles()
{
    return {Role::Administrator, Role::Support, Role::ResellerAdmin, Role::ResellerManager,
        Role::ResellerUser, Role::ClientAdmin, Role::ClientUser};
}

bool isStaff(Role role)
{
    return contextKindOf(role) == ContextKind::Vendor;
}

bool isClientRole(Role role)
{
    return contextKindOf(role) == ContextKind::Customer;
}

} // namespace rd
