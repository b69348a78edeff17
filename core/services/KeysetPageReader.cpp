#include "services/KeysetPageReader.h"

namespace rd {

bool reachableFromAnotherConnection(const ConnectionProfile &profile)
{
    if (profile.dialect() != Dialect::SQLite)
        return true;
    const QString &path = profile.filePath();
    return !path.isEmpty() && path != QLatin1String(":memory:")
        && !path.contains(QLatin1String("mode=memory"));
}

} // namespace rd
