using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Sitrep.Tests.Reliability;

/// <summary>The real `sitrep` program (sitrep.dll in the test output) run as a child process: started, waited for, killed or signalled.</summary>
public sealed class SitrepProcess : IDisposable
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "sitrep.dll");

    private readonly Process _p;
    private readonly StringBuilder _out = new(), _err = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private SitrepProcess(Process p) => _p = p;

    public static SitrepProcess Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["CI"] = "true";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var p = new Process { StartInfo = psi };
        var sp = new SitrepProcess(p);
        p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (sp._out) sp._out.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (sp._err) sp._err.AppendLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return sp;
    }

    public sealed record Result(int ExitCode, string Out, string Err, TimeSpan Elapsed)
    {
        public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public static async Task<Result> RunAsync(TimeSpan limit, params string[] args)
    {
        using var p = Start(args);
        return await p.WaitAsync(limit);
    }

    public int Pid => _p.Id;
    public bool HasExited => _p.HasExited;
    public TimeSpan Elapsed => _clock.Elapsed;

    public async Task<Result> WaitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        try { await _p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            _p.Kill(entireProcessTree: true);
            await _p.WaitForExitAsync();
            throw new TimeoutException($"sitrep {string.Join(' ', _p.StartInfo.ArgumentList.Skip(1))} did not finish within {limit.TotalSeconds:F0} s");
        }
        _p.WaitForExit(); // flushes the redirected streams
        string o, e;
        lock (_out) o = _out.ToString();
        lock (_err) e = _err.ToString();
        return new Result(_p.ExitCode, o, e, _clock.Elapsed);
    }

    /// <summary>SIGKILL: the process gets no chance to clean up (kill -9).</summary>
    public void Kill9()
    {
        try { _p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _p.WaitForExit();
    }

    /// <summary>SIGTERM (kill -TERM pid).</summary>
    public void Term()
    {
        if (SysKill(_p.Id, 15) != 0) throw new InvalidOperationException($"kill -TERM {_p.Id} failed (errno {Marshal.GetLastPInvokeError()})");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int sig);

    public void Dispose()
    {
        try { if (!_p.HasExited) _p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _p.Dispose();
    }
}
