using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Sitrep.Ingest;
using Sitrep.Pipeline;
using Sitrep.Store;
using Sitrep.Text;

namespace Sitrep.Bench;

/// <summary>
/// Where the store's time goes. The first N articles are read and analysed up front (not timed), then written:
/// (1) by the real SqliteStore.WriteAsync, reporting the rate per chunk of documents so a slowdown as the file grows
/// shows; (2) by a copy of SqliteStore's writer (same schema, statements and pragmas) with the tables switched on one
/// at a time, so each table's share is its difference from the line above. The copy is of the schema-v1 writer, which
/// still wrote the FTS5 rows on the ingest path (documents, files, pieces, articles, FTS5); it has no entity tables.
/// Since main 52edf92 the real writer leaves the FTS5 rows to SqliteStore.UpdateSearchIndexAsync, timed after it.
/// </summary>
public static class StoreProfile
{
    private const int Chunk = 10_000;

    public static async Task<int> RunAsync(string corpusRoot, int count, string dbPath)
    {
        var analyzer = Pipelines.AsCli();
        var docs = new AnalyzedDocument[count];
        Parallel.For(0, count, i =>
        {
            var path = Path.Combine(corpusRoot, Corpus.RelativePath(i));
            var (doc, problem) = SourceLoader.Decode(path, File.ReadAllBytes(path));
            docs[i] = analyzer.Analyze(doc ?? throw new InvalidDataException(problem!.ToString()));
        });
        var inv = CultureInfo.InvariantCulture;
        int pieces = docs.Sum(d => d.Segmentation.Pieces.Count), articles = docs.Sum(d => d.Articles.Count);
        Console.WriteLine(string.Create(inv, $"store profile over {count} documents ({pieces} pieces, {articles} articles); load avg {EndToEnd.LoadAverage()}"));

        // Warm-up (JIT, SQLite) on a throw-away file.
        await RealAsync(docs.Take(Math.Min(2000, count)).ToArray(), analyzer.Fingerprint, dbPath + ".warmup", print: false);
        await ReplicaAsync(docs.Take(Math.Min(2000, count)).ToArray(), dbPath + ".warmup", Level.Search, null);

        await RealAsync(docs, analyzer.Fingerprint, dbPath, print: true);
        Console.WriteLine("| writer copy (cumulative), variant    | wall s | µs/doc | CPU µs/doc | CPU µs/doc first → last chunk | docs/s | MiB on disk |");
        Console.WriteLine("|--------------------------------------|-------:|-------:|-----------:|------------------:|-------:|------------:|");
        foreach (var level in Enum.GetValues<Level>()) await ReplicaAsync(docs, dbPath, level, null);
        // Candidate fixes, each applied to the schema before the full copy runs (the first chunk's and the last chunk's CPU per document show growth).
        await ReplicaAsync(docs, dbPath, Level.Search, null, "cache_size 64 MiB", "PRAGMA cache_size = -65536;");
        foreach (var (name, sql) in FtsVariants)
        {
            try { await ReplicaAsync(docs, dbPath, Level.Search, null, name, sql); }
            catch (SqliteException e) { Console.WriteLine($"| {name,-36} | not supported: {e.Message} |"); }
        }
        return 0;
    }

    private static async Task RealAsync(AnalyzedDocument[] docs, string pipeline, string dbPath, bool print)
    {
        EndToEnd.DeleteDb(dbPath);
        var marks = new List<(int Docs, long Ticks, long Cpu)>();
        long t0 = Stopwatch.GetTimestamp(), c0 = CpuClock.Now();
        async IAsyncEnumerable<AnalyzedDocument> Feed()
        {
            for (int i = 0; i < docs.Length; i++)
            {
                if (i > 0 && i % Chunk == 0) marks.Add((i, Stopwatch.GetTimestamp(), CpuClock.Now()));
                yield return docs[i];
            }
            marks.Add((docs.Length, Stopwatch.GetTimestamp(), CpuClock.Now()));
            await Task.CompletedTask;
        }
        int indexed;
        long ti0, ti1, ci0, ci1;
        await using (var store = await SqliteStore.OpenAsync(dbPath))
        {
            await store.WriteAsync(Feed(), pipeline);
            ti0 = Stopwatch.GetTimestamp(); ci0 = CpuClock.Now();
            indexed = await store.UpdateSearchIndexAsync();
            ti1 = Stopwatch.GetTimestamp(); ci1 = CpuClock.Now();
        }
        long t1 = Stopwatch.GetTimestamp() - (ti1 - ti0), c1 = CpuClock.Now() - (ci1 - ci0);
        long size = new FileInfo(dbPath).Length;
        EndToEnd.DeleteDb(dbPath);
        if (!print) return;
        var inv = CultureInfo.InvariantCulture;
        double f = Stopwatch.Frequency;
        Console.WriteLine(string.Create(inv, $"real SqliteStore.WriteAsync: {(t1 - t0) / f:F2} s wall, {(c1 - c0) / 1e9:F2} s CPU, {docs.Length / ((t1 - t0) / f):F0} docs/s, {size / 1048576.0:F0} MiB; close (checkpoint) {(t1 - marks[^1].Ticks) / f:F2} s"));
        Console.WriteLine(string.Create(inv, $"then SqliteStore.UpdateSearchIndexAsync (full-text catch-up, off the ingest path): {indexed} articles in {(ti1 - ti0) / f:F2} s wall, {(ci1 - ci0) / 1e3 / Math.Max(1, indexed):F0} CPU µs/article"));
        Console.WriteLine("| documents written | chunk docs/s (wall) | chunk CPU µs/doc |");
        Console.WriteLine("|------------------:|--------------------:|-----------------:|");
        long pt = t0, pc = c0;
        int pd = 0;
        foreach (var (n, t, c) in marks)
        {
            Console.WriteLine(string.Create(inv, $"| {n,17} | {(n - pd) / ((t - pt) / f),19:F0} | {(c - pc) / 1e3 / (n - pd),16:F1} |"));
            (pd, pt, pc) = (n, t, c);
        }
    }

    private const string Fts = "DROP TABLE article_search; CREATE VIRTUAL TABLE article_search USING fts5(article_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2'";

    /// <summary>Full-text index variants: what the FTS5 rows would cost with other table options.</summary>
    private static readonly (string Name, string Sql)[] FtsVariants =
    [
        ("fts5 contentless (content='')", Fts + ", content='', contentless_delete=1);"),
        ("fts5 detail=column", Fts + ", detail=column);"),
        ("fts5 hashsize 16 MiB", "INSERT INTO article_search(article_search, rank) VALUES('hashsize', 16777216);"),
        ("fts5 automerge 16", "INSERT INTO article_search(article_search, rank) VALUES('automerge', 16);"),
    ];

    public enum Level { Documents, Pieces, Articles, Search }

    private static string Describe(Level l) => l switch
    {
        Level.Documents => "documents + files (lookups, inserts)",
        Level.Pieces => "+ pieces rows",
        Level.Articles => "+ articles rows",
        _ => "+ full-text rows (v1 writer)",
    };

    /// <summary>A copy of SqliteStore.Writer; tables after <paramref name="level"/> are left empty.</summary>
    private static async Task ReplicaAsync(AnalyzedDocument[] docs, string dbPath, Level level, int? cacheSize, string? variant = null, string? variantSql = null)
    {
        EndToEnd.DeleteDb(dbPath);
        await (await SqliteStore.OpenAsync(dbPath)).DisposeAsync(); // the real schema
        if (variantSql != null && !variantSql.StartsWith("PRAGMA", StringComparison.Ordinal))
            using (var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dbPath, Pooling = false }.ToString()))
            {
                db.Open();
                Exec(db, variantSql);
            }
        var chunkCpu = new List<double>();
        long t0 = Stopwatch.GetTimestamp(), c0 = CpuClock.Now(), cc = c0;
        int done = 0;
        using (var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dbPath, Pooling = false }.ToString()))
        {
            db.Open();
            Exec(db, "PRAGMA busy_timeout = 2000; PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
            if (cacheSize is { } cs) Exec(db, $"PRAGMA cache_size = {cs};");
            if (variantSql != null && variantSql.StartsWith("PRAGMA", StringComparison.Ordinal)) Exec(db, variantSql);
            using var tx = db.BeginTransaction(deferred: false);
            var fileOf = Cmd(db, tx, "SELECT document_id FROM files WHERE path = $p", "$p");
            var hasDoc = Cmd(db, tx, "SELECT 1 FROM documents WHERE id = $id", "$id");
            var insDoc = Cmd(db, tx, "INSERT INTO documents (id, encoding, format, bytes, text) VALUES ($id, $enc, $fmt, $bytes, $text)", "$id", "$enc", "$fmt", "$bytes", "$text");
            var setFile = Cmd(db, tx, "INSERT INTO files (path, document_id) VALUES ($p, $id) ON CONFLICT(path) DO UPDATE SET document_id = excluded.document_id", "$p", "$id");
            var insPiece = Cmd(db, tx, "INSERT INTO pieces (document_id, seq, kind, start, \"end\", article, reason) VALUES ($d, $seq, $kind, $s, $e, $a, $r)", "$d", "$seq", "$kind", "$s", "$e", "$a", "$r");
            var insArticle = Cmd(db, tx, """
                INSERT INTO articles (id, document_id, seq, is_main, title, dek, outlet, byline, dateline, text_start, text_end, sentences, tokens, sentence_spans)
                VALUES ($id, $d, $seq, $main, $title, $dek, $outlet, $byline, $dateline, $s, $e, $ns, $nt, $spans)
                """, "$id", "$d", "$seq", "$main", "$title", "$dek", "$outlet", "$byline", "$dateline", "$s", "$e", "$ns", "$nt", "$spans");
            var insSearch = Cmd(db, tx, "INSERT INTO article_search (article_id, title, body) VALUES ($id, $title, $body)", "$id", "$title", "$body");
            foreach (var doc in docs)
            {
                var src = doc.Source;
                var path = Path.GetFullPath(src.Path);
                var old = Run(fileOf, path) as string;
                if (old == src.Id) continue;
                if (Run(hasDoc, src.Id) == null)
                {
                    Run(insDoc, src.Id, src.Encoding, src.Format == DocumentFormat.Html ? "html" : "text", src.Bytes, src.Text);
                    if (level >= Level.Pieces)
                        for (int i = 0; i < doc.Segmentation.Pieces.Count; i++)
                        {
                            var p = doc.Segmentation.Pieces[i];
                            Run(insPiece, src.Id, i, PieceKinds.Name(p.Kind), p.Start, p.End, p.Article, p.Reason);
                        }
                    if (level >= Level.Articles)
                        foreach (var a in doc.Articles)
                        {
                            var l = a.Layout;
                            Run(insArticle, a.Id, src.Id, l.Index, l.IsMain ? 1 : 0, l.Title, l.Dek, l.Outlet, l.Byline, l.Dateline,
                                l.TextStart, l.TextEnd, a.Sentences.Count, a.Tokens, EncodeSentences(a.Sentences));
                            if (level >= Level.Search)
                                Run(insSearch, a.Id, l.Title ?? l.Dek ?? "", BodyText(src.Text, doc.Segmentation.Pieces, l.Index));
                        }
                }
                Run(setFile, path, src.Id);
                if (++done % Chunk == 0 || done == docs.Length)
                {
                    long now = CpuClock.Now();
                    chunkCpu.Add((now - cc) / 1e3 / (done % Chunk == 0 ? Chunk : done % Chunk));
                    cc = now;
                }
            }
            tx.Commit();
            foreach (var c in new[] { fileOf, hasDoc, insDoc, setFile, insPiece, insArticle, insSearch }) c.Dispose();
        }
        long t1 = Stopwatch.GetTimestamp(), c1 = CpuClock.Now();
        double wall = (t1 - t0) / (double)Stopwatch.Frequency, cpu = (c1 - c0) / 1e9;
        long size = new FileInfo(dbPath).Length;
        EndToEnd.DeleteDb(dbPath);
        if (variant == null && level == Level.Search && docs.Length <= 2000) return; // warm-up
        var name = variant ?? Describe(level);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name,-36} | {wall,6:F2} | {wall / docs.Length * 1e6,6:F0} | {cpu / docs.Length * 1e6,10:F0} | {chunkCpu[0],9:F0} → {chunkCpu[^1],4:F0} | {docs.Length / wall,6:F0} | {size / 1048576.0,11:F0} |"));
    }

    private static SqliteCommand Cmd(SqliteConnection db, SqliteTransaction tx, string sql, params string[] names)
    {
        var c = db.CreateCommand();
        c.Transaction = tx;
        c.CommandText = sql;
        foreach (var n in names) c.Parameters.Add(new SqliteParameter { ParameterName = n });
        c.Prepare();
        return c;
    }

    private static object? Run(SqliteCommand c, params object?[] values)
    {
        for (int i = 0; i < values.Length; i++) c.Parameters[i].Value = values[i] ?? DBNull.Value;
        return c.ExecuteScalar();
    }

    private static void Exec(SqliteConnection db, string sql)
    {
        using var c = db.CreateCommand();
        c.CommandText = sql;
        c.ExecuteNonQuery();
    }

    private static string BodyText(string text, IReadOnlyList<Piece> pieces, int article) =>
        string.Join("\n", pieces.Where(p => p.Article == article && p.Kind is PieceKind.Article or PieceKind.Subheading).Select(p => text[p.Start..p.End]));

    private static byte[] EncodeSentences(IReadOnlyList<SentenceSpan> spans)
    {
        var bytes = new byte[spans.Count * 16];
        for (int i = 0; i < spans.Count; i++)
        {
            var s = spans[i];
            var d = bytes.AsSpan(i * 16);
            BinaryPrimitives.WriteInt32LittleEndian(d, s.Start);
            BinaryPrimitives.WriteInt32LittleEndian(d[4..], s.End);
            BinaryPrimitives.WriteInt32LittleEndian(d[8..], s.FirstToken);
            BinaryPrimitives.WriteInt32LittleEndian(d[12..], s.TokenCount);
        }
        return bytes;
    }
}
