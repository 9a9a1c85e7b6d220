using System.Diagnostics;

namespace Sitrep.Bench;

/// <summary>
/// Samples the process every few milliseconds on a background thread: resident set (working set), the managed heap
/// (bytes in use) and the GC's committed memory. Peaks are what the run needed at its worst moment.
/// </summary>
public sealed class MemorySampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private readonly int _intervalMs;

    public long PeakWorkingSet { get; private set; }
    public long PeakManagedHeap { get; private set; }
    public long PeakGcCommitted { get; private set; }
    public int Samples { get; private set; }

    public MemorySampler(int intervalMs = 50)
    {
        _intervalMs = intervalMs;
        _thread = new Thread(Loop) { IsBackground = true, Name = "memory-sampler", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    private void Loop()
    {
        while (!_stop)
        {
            Sample();
            Thread.Sleep(_intervalMs);
        }
        Sample();
    }

    private void Sample()
    {
        PeakWorkingSet = Math.Max(PeakWorkingSet, ResidentBytes());
        PeakManagedHeap = Math.Max(PeakManagedHeap, GC.GetTotalMemory(false));
        PeakGcCommitted = Math.Max(PeakGcCommitted, GC.GetGCMemoryInfo().TotalCommittedBytes);
        Samples++;
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }

    /// <summary>The resident set now: /proc/self/statm (cheap: one small read), else Process.WorkingSet64.</summary>
    public static long ResidentBytes()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var fields = File.ReadAllText("/proc/self/statm").Split(' ');
                return long.Parse(fields[1]) * Environment.SystemPageSize;
            }
            catch (IOException) { }
        }
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    /// <summary>The kernel's high-water mark of the resident set (VmHWM) for the whole process life, in bytes.</summary>
    public static long KernelPeakResident()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException) { }
        return -1;
    }
}
