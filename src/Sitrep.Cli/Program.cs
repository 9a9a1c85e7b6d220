using Sitrep.Cli;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
bool interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null;
return await Cli.RunAsync(args, Console.Out, Console.Error, interactive, cts.Token);
