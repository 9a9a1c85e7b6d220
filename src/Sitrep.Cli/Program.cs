using System.Runtime.InteropServices;
using Sitrep.Cli;

using var cts = new CancellationTokenSource();
// Ctrl-C and SIGTERM cancel the command: its transaction rolls back (checkpoints already committed stay) and it exits
// 130. Should a stage not notice within the grace period, the process exits anyway: SQLite's journal leaves the store
// as it was before the interrupted transaction, exactly as after a crash.
var grace = TimeSpan.FromSeconds(1.5);
void Cancel(PosixSignalContext context)
{
    context.Cancel = true;
    if (cts.IsCancellationRequested) return;
    cts.Cancel();
    _ = Task.Delay(grace).ContinueWith(_ =>
    {
        Console.Error.WriteLine("sitrep: cancelled; the interrupted transaction was rolled back");
        Environment.Exit(130);
    }, TaskScheduler.Default);
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
bool interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null;
return await Cli.RunAsync(args, Console.Out, Console.Error, interactive, cts.Token);
