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

    public MemorySampler(int intervalMs = 20)
    {
        _intervalMs = intervalMs;
        _thread = new Thread(Loop) { IsBackground = true, Name = "memory-sampler", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    private void Loop()
    {
        using var self = Process.GetCurrentProcess();
        while (!_stop)
        {
            Sample(self);
            Thread.Sleep(_intervalMs);
        }
        Sample(self);
    }

    private void Sample(Process self)
    {
        self.Refresh();
        PeakWorkingSet = Math.Max(PeakWorkingSet, self.WorkingSet64);
        PeakManagedHeap = Math.Max(PeakManagedHeap, GC.GetTotalMemory(false));
        PeakGcCommitted = Math.Max(PeakGcCommitted, GC.GetGCMemoryInfo().TotalCommittedBytes);
        Samples++;
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
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
