using System.Collections.Immutable;
using Microsoft.Data.Sqlite;
using Sitrep.Ingest;
using Sitrep.Pipeline;

namespace Sitrep.Store;

/// <summary>What <see cref="StoreRepair.CheckAsync"/> found.</summary>
/// <param name="Pages">SQLite's integrity check: null when the file's pages are sound, else its findings.</param>
/// <param name="Problems">Documents (or tables) that cannot be read or break the invariants, each with a reason.</param>
public sealed record StoreCheck(string Path, string? Pages, int Documents, int Articles, int Orphans, IReadOnlyList<(string Id, string Reason)> Problems)
{
    public bool Ok => Pages == null && Problems.Count == 0;
}

/// <summary>What <see cref="StoreRepair.RepairAsync"/> did.</summary>
/// <param name="Backup">Where the old file was moved, or null when nothing needed repair.</param>
public sealed record RepairReport(int Kept, int Dropped, IReadOnlyList<string> Reanalyse, string? Backup);

/// <summary>
/// <c>sitrep check</c> and <c>sitrep repair</c>. A check reads every page (SQLite's integrity check) and every document
/// (<see cref="DocumentCheck"/>). A repair copies every consistent document into a fresh file — through the store's own
/// writer, so the copy holds the invariants — drops what cannot be read or is inconsistent, names the files those came
/// from for re-analysis, and swaps the fresh file in, keeping the old one beside it.
/// </summary>
public static class StoreRepair
{
    public static async Task<StoreCheck> CheckAsync(string path, CancellationToken ct = default)
    {
        await using var store = await SqliteStore.OpenAsync(path, ct, readOnly: true).ConfigureAwait(false);
        string? pages;
        try { pages = store.IntegrityCheck(); }
        catch (SqliteException e) { pages = SourceLoader.OneLine(e.Message); }
        int documents = 0, articles = 0;
        await foreach (var (doc, _) in store.ReadAllAsync(ct).ConfigureAwait(false))
        {
            if (doc == null) continue;
            documents++;
            articles += doc.Articles.Count;
        }
        int orphans;
        try { orphans = store.CountOrphans(); }
        catch (SqliteException) { orphans = 0; }
        return new StoreCheck(path, pages, documents, articles, orphans, store.Skipped);
    }

    /// <summary>
    /// Rebuilds <paramref name="path"/> from what in it is readable and consistent. Returns the file paths of the
    /// dropped documents that still exist on disk, for the caller to analyse again into the repaired store.
    /// </summary>
    public static async Task<RepairReport> RepairAsync(string path, TimeProvider time, CancellationToken ct = default)
    {
        var check = await CheckAsync(path, ct).ConfigureAwait(false);
        if (check.Ok && check.Orphans == 0) return new RepairReport(check.Documents, 0, [], null);

        var fresh = path + ".repair-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        DeleteWithSideFiles(fresh);
        int kept = 0, dropped = 0;
        var reanalyse = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            await using (var source = await SqliteStore.OpenAsync(path, ct, readOnly: true).ConfigureAwait(false))
            await using (var target = await SqliteStore.OpenAsync(fresh, ct).ConfigureAwait(false))
            {
                target.CheckpointDocuments = int.MaxValue;
                target.CheckpointInterval = TimeSpan.MaxValue;
                var good = new List<StoredDocument>();
                await foreach (var (doc, id) in source.ReadAllAsync(ct).ConfigureAwait(false))
                {
                    if (doc != null) { good.Add(doc); continue; }
                    dropped++;
                    foreach (var file in source.FilesOf(id))
                        if (!file.Contains("://", StringComparison.Ordinal) && File.Exists(file)) reanalyse.Add(file);
                }
                foreach (var group in good.GroupBy(d => d.Pipeline, StringComparer.Ordinal))
                {
                    var written = await target.WriteAsync(AsAnalyzed(group), group.Key, ct).ConfigureAwait(false);
                    if (written.Refused.Count > 0) dropped += written.Refused.Count;
                }
                kept = good.Count;
            }
            var backup = path + ".damaged-" + time.GetUtcNow().ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
            // Swap: the old file (and its journal) move aside whole, then the fresh file takes its name.
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                if (File.Exists(path + suffix)) File.Move(path + suffix, backup + suffix);
            File.Move(fresh, path);
            DeleteWithSideFiles(fresh);
            return new RepairReport(kept, dropped, [.. reanalyse], backup);
        }
        catch
        {
            DeleteWithSideFiles(fresh);
            throw;
        }
    }

    /// <summary>A stored document as the writer takes it, once per path that holds it.</summary>
    private static async IAsyncEnumerable<AnalyzedDocument> AsAnalyzed(IEnumerable<StoredDocument> docs)
    {
        foreach (var d in docs)
        {
            var format = d.Format == "html" ? DocumentFormat.Html : DocumentFormat.Text;
            var layouts = d.Articles.Select(a => new ArticleLayout(a.Seq, a.TextStart, a.TextEnd, a.Title, a.Dek, a.Byline, a.Dateline, a.Outlet, a.IsMain)).ToList();
            var articles = d.Articles.Select((a, i) => new AnalyzedArticle(a.Id, layouts[i], a.SentenceSpans, a.Tokens, [.. a.Entities])
            {
                TimeJson = a.TimeJson,
                QuotesJson = a.QuotesJson,
            }).ToList();
            foreach (var file in d.Files.Count > 0 ? d.Files : [$"recovered://{d.Id}"])
            {
                var source = new SourceDocument(file, d.Id, d.Text, d.Encoding, format, d.Bytes);
                yield return new AnalyzedDocument(source, new Segmentation(d.Pieces, layouts), articles) { ProvenanceJson = d.ProvenanceJson };
            }
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static void DeleteWithSideFiles(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
            if (File.Exists(path + suffix)) File.Delete(path + suffix);
    }
}
