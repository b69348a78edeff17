#include "Memory.h"

#include <malloc.h>

#include <QFile>

namespace rd::bench {

namespace {

qint64 statusKb(const char *key)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray prefix = QByteArray(key) + ':';
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

} // namespace

qint64 Memory::residentKb()
{
    return statusKb("VmRSS");
}

qint64 Memory::peakKb()
{
    return statusKb("VmHWM");
}

bool Memory::resetPeak()
{
    QFile clearRefs(QStringLiteral("/proc/self/clear_refs"));
    if (!clearRefs.open(QIODevice::WriteOnly))
        return false;
    return clearRefs.write("5") == 1;
}

void Memory::releaseFreed()
{
    malloc_trim(0);
}

} // namespace rd::bench
