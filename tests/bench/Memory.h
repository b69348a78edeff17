#pragma once

#include <QtGlobal>

namespace rd::bench {

// Resident memory of this process from /proc/self/status, in KiB (0 when
// unknown).
struct Memory
{
    static qint64 residentKb(); // VmRSS
    static qint64 peakKb();     // VmHWM
    // Resets VmHWM to the current RSS (writes 5 to /proc/self/clear_refs,
    // Linux >= 4.0). False when the kernel refuses.
    static bool resetPeak();
    // Gives freed heap memory back to the system (malloc_trim), so one
    // benchmark's garbage does not count as the next one's RSS.
    static void releaseFreed();
};

} // namespace rd::bench
