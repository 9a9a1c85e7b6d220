using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Sitrep.Ingest;
using Sitrep.Store;

namespace Sitrep.Pipeline;

/// <summary>Progress of a run: files done out of files found, bytes read.</summary>
public readonly record struct RunProgress(int Done, int Total, long Bytes);

/// <summary>What a run did, and the inputs it could not take (each with a one-line reason).</summary>
public sealed record RunReport(
    int Files, int Skipped, WriteSummary Written, long Bytes, TimeSpan Elapsed, IReadOnlyList<InputProblem> Problems);

/// <summary>
/// Ingest → analyse → store, streaming: files are read and analysed on every core while a single writer stores them
/// in one transaction, so memory stays flat however large the corpus. Bad files are reported and skipped; good files
/// in the same run are still stored.
/// </summary>
public sealed class IngestRun(DocumentAnalyzer analyzer, SourceLoader? loader = null)
{
    private readonly SourceLoader _loader = loader ?? new SourceLoader();

    public async Task<RunReport> RunAsync(IEnumerable<string> paths, SqliteStore store, IProgress<RunProgress>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var (files, expandProblems, skipped) = _loader.Expand(paths);
        var problems = new ConcurrentBag<InputProblem>(expandProblems);
        var channel = Channel.CreateBounded<AnalyzedDocument>(new BoundedChannelOptions(256) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        int done = 0;
        long bytes = 0;

        var produce = Task.Run(async () =>
        {
            try
            {
                var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct };
                await Parallel.ForEachAsync(files, options, async (file, token) =>
                {
                    var (doc, problem) = await _loader.LoadAsync(file, token).ConfigureAwait(false);
                    if (problem != null) problems.Add(problem);
                    else
                    {
                        AnalyzedDocument? analyzed = null;
                        try
                        {
                            analyzed = analyzer.Analyze(doc!);
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            // A fault in one stage on one document must not abort the run: the file is reported, the rest stored.
                            problems.Add(new InputProblem(file, $"analysis failed ({e.GetType().Name}: {SourceLoader.OneLine(e.Message)}); please report this file"));
                        }
                        if (analyzed != null)
                        {
                            await channel.Writer.WriteAsync(analyzed, token).ConfigureAwait(false);
                            Interlocked.Add(ref bytes, doc!.Bytes);
                        }
                    }
                    int n = Interlocked.Increment(ref done);
                    progress?.Report(new RunProgress(n, files.Count, Interlocked.Read(ref bytes)));
                }).ConfigureAwait(false);
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, ct);

        var written = await store.WriteAsync(channel.Reader.ReadAllAsync(ct), analyzer.Fingerprint, ct).ConfigureAwait(false);
        await produce.ConfigureAwait(false);
        var ordered = problems.OrderBy(p => p.Path, StringComparer.Ordinal).ToList();
        return new RunReport(files.Count, skipped, written, bytes, clock.Elapsed, ordered);
    }
}
