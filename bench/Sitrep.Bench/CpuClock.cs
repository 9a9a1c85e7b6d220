using System.Runtime.InteropServices;

namespace Sitrep.Bench;

/// <summary>
/// CPU time of the whole process (all threads), from clock_gettime(CLOCK_PROCESS_CPUTIME_ID). On a machine shared
/// with other jobs, wall time says how long we waited; CPU time says how much work a stage is, independent of how
/// long the scheduler made us wait for a core. Falls back to Process.TotalProcessorTime off Linux.
/// </summary>
public static class CpuClock
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec ts);

    private const int ClockProcessCpuTime = 2;
    private static readonly bool Native = OperatingSystem.IsLinux();

    /// <summary>Process CPU time in nanoseconds.</summary>
    public static long Now()
    {
        if (Native && ClockGetTime(ClockProcessCpuTime, out var ts) == 0) return ts.Seconds * 1_000_000_000L + ts.Nanoseconds;
        using var p = System.Diagnostics.Process.GetCurrentProcess();
        return p.TotalProcessorTime.Ticks * 100;
    }
}
