using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Sitrep.Ingest;
using Sitrep.Ingest.Web;
using Sitrep.Store;

namespace Sitrep.Pipeline;

/// <summary>Progress of a run: files done out of files found, bytes read.</summary>
public readonly record struct RunProgress(int Done, int Total, long Bytes);

/// <summary>What a run did, and the inputs it could not take (each with a one-line reason).</summary>
public sealed record RunReport(
    int Files, int Skipped, WriteSummary Written, long Bytes, TimeSpan Elapsed, IReadOnlyList<InputProblem> Problems)
{
    /// <summary>URLs whose server answered 304 Not Modified (nothing new to take; not a problem).</summary>
    public int NotModified { get; init; }
}

/// <summary>
/// Ingest → analyse → store, streaming: files are read and analysed on every core while a single writer stores them
/// in one transaction, so memory stays flat however large the corpus. Bad files are reported and skipped; good files
/// in the same run are still stored. Copy links, wire credits and stories are the cross-source stage's work
/// (<c>Stories/CrossSourceStage</c>), run on the stored articles after this.
/// </summary>
public sealed class IngestRun(DocumentAnalyzer analyzer, SourceLoader? loader = null)
{
    private readonly SourceLoader _loader = loader ?? new SourceLoader();

    /// <summary>
    /// How long the analysis of one input may take before a watchdog abandons it with the one-line problem "too complex:
    /// analysis took longer than 60 s" and the run moves on (<see cref="DocumentAnalyzer.DefaultTimeLimit"/> unless set;
    /// <see cref="Timeout.InfiniteTimeSpan"/> for none).
    /// </summary>
    public TimeSpan AnalysisTimeLimit { get; init; } = DocumentAnalyzer.DefaultTimeLimit;

    /// <summary>
    /// Ingest → analyse → store for files and folders (expanded recursively). Files are read, decoded and analysed on
    /// every core; a single writer stores them in one transaction.
    /// </summary>
    public async Task<RunReport> RunAsync(IEnumerable<string> paths, SqliteStore store, IProgress<RunProgress>? progress = null, CancellationToken ct = default)
    {
        var (files, expandProblems, skipped) = _loader.Expand(paths);
        var counted = progress == null ? null : new TotalProgress(progress, files.Count);
        var report = await RunAsync(files.Select(SourceInput.FromFile).ToAsyncEnumerable(), store, counted, ct).ConfigureAwait(false);
        var problems = report.Problems.Concat(expandProblems).OrderBy(p => p.Path, StringComparer.Ordinal).ToList();
        return report with { Files = files.Count, Skipped = skipped, Problems = problems };
    }

    /// <summary>Reports progress with the number of files known up front.</summary>
    private sealed class TotalProgress(IProgress<RunProgress> inner, int total) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => inner.Report(value with { Total = total });
    }

    /// <summary>
    /// Ingest → analyse → store for inputs of any origin (files, URLs, feed items, WARC records): each input is bytes to
    /// decode, a decoded document or a problem. Inputs are decoded and analysed on every core as they arrive (the
    /// enumeration is pulled only as fast as workers free up, so a huge WARC file streams); a single writer stores them.
    /// The input's origin (URL, feed metadata, WARC record) is stored as the document's provenance.
    /// </summary>
    public async Task<RunReport> RunAsync(IAsyncEnumerable<SourceInput> inputs, SqliteStore store, IProgress<RunProgress>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var problems = new ConcurrentBag<InputProblem>();
        var channel = Channel.CreateBounded<AnalyzedDocument>(new BoundedChannelOptions(256) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        int done = 0;
        long bytes = 0;

        var produce = Task.Run(async () =>
        {
            try
            {
                var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct };
                await Parallel.ForEachAsync(inputs, options, async (input, token) =>
                {
                    SourceDocument? doc;
                    InputProblem? problem;
                    try
                    {
                        (doc, problem) = input.IsUnreadFile
                            ? await _loader.LoadAsync(input.Path, token).ConfigureAwait(false)
                            : input.Decode();
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // Reading and extraction report what they know as problems; anything else costs this input only.
                        (doc, problem) = (null, new InputProblem(input.Path, $"cannot read (unexpected {e.GetType().Name}: {SourceLoader.OneLine(e.Message)}); please report this input"));
                    }
                    if (problem != null) problems.Add(problem);
                    else
                    {
                        AnalyzedDocument? analyzed = null;
                        try
                        {
                            // The feed's date is the publisher's statement of when the item appeared: metadata for dating.
                            if (input.Item?.FeedPublished is { } fp && string.IsNullOrEmpty(doc!.Page?.Published))
                                doc = doc with { Page = (doc.Page ?? new PageMetadata(input.Item.FeedTitle, null, input.Item.FeedAuthor, null, null, null))
                                    with { Published = fp.ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture) } };
                            // The watchdog's cancellation becomes AnalysisTooComplexException; the user's stays OperationCanceledException.
                            analyzed = analyzer.AnalyzeWithin(doc!, AnalysisTimeLimit, token);
                            analyzed = analyzed with { ProvenanceJson = ProvenanceJson.Serialize(ArticleProvenance.From(input, doc!)) };
                        }
                        catch (AnalysisTooComplexException e)
                        {
                            problems.Add(new InputProblem(input.Path, e.Message));
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            problems.Add(new InputProblem(input.Path, $"analysis failed ({e.GetType().Name}: {SourceLoader.OneLine(e.Message)}); please report this input"));
                        }
                        if (analyzed != null)
                        {
                            await channel.Writer.WriteAsync(analyzed, token).ConfigureAwait(false);
                            Interlocked.Add(ref bytes, doc!.Bytes);
                        }
                    }
                    int n = Interlocked.Increment(ref done);
                    progress?.Report(new RunProgress(n, 0, Interlocked.Read(ref bytes)));
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
        var ordered = problems.Concat(written.Refused).OrderBy(p => p.Path, StringComparer.Ordinal).ToList();
        return new RunReport(done, 0, written, bytes, clock.Elapsed, ordered);
    }
}
