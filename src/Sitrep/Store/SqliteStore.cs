using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using System.Collections.Immutable;
using Sitrep.Ingest;
using Sitrep.Knowledge;
using Sitrep.Pipeline;
using Sitrep.Text;

namespace Sitrep.Store;

/// <summary>An article as stored.</summary>
public sealed record StoredArticle(
    string Id, int Seq, bool IsMain, string? Title, string? Dek, string? Outlet, string? Byline, string? Dateline,
    int TextStart, int TextEnd, int Sentences, int Tokens, IReadOnlyList<SentenceSpan> SentenceSpans)
{
    /// <summary>The time stage's JSON (published interval, times, flags, timeline), UTF-16 offsets; null if it did not run.</summary>
    public string? TimeJson { get => _time?.Json; init => _time = value == null ? null : new ParsedTime(value); }

    /// <summary>
    /// <see cref="TimeJson"/> read into a typed view on first use and kept with the article, so the stages that read
    /// an article's time (claim inputs, timeline, brief) parse it once; null if the time stage did not run.
    /// </summary>
    public ArticleTimeView? Time => _time?.View;

    private readonly ParsedTime? _time;

    /// <summary>The attribution stage's JSON (quotes, sourcing), UTF-16 offsets; null if it did not run.</summary>
    public string? QuotesJson { get; init; }

    /// <summary>The article's actors, in order of first mention.</summary>
    public IReadOnlyList<LinkedEntity> Entities { get; init; } = [];

    /// <summary>The stored JSON and, once read, its view. Equal when the JSON is: whether it was read yet does not count.</summary>
    private sealed class ParsedTime(string json) : IEquatable<ParsedTime>
    {
        private ArticleTimeView? _view;

        public string Json { get; } = json;

        public ArticleTimeView View => _view ??= Sitrep.Pipeline.TimeJson.Read(Json);

        public bool Equals(ParsedTime? other) => other != null && string.Equals(Json, other.Json, StringComparison.Ordinal);

        public override bool Equals(object? obj) => Equals(obj as ParsedTime);

        public override int GetHashCode() => string.GetHashCode(Json, StringComparison.Ordinal);
    }
}

/// <summary>A document as stored, with every file path that holds it.</summary>
public sealed record StoredDocument(
    string Id, IReadOnlyList<string> Files, string Encoding, string Format, long Bytes, string Text,
    IReadOnlyList<Piece> Pieces, IReadOnlyList<StoredArticle> Articles)
{
    /// <summary>Where the document came from, as JSON (see <c>Pipeline.ProvenanceJson</c>); null when nothing is known.</summary>
    public string? ProvenanceJson { get; init; }

    /// <summary>The fingerprint of the pipeline that analysed it (empty when not known).</summary>
    public string Pipeline { get; init; } = "";
}

/// <summary>
/// How much of each document a write stores: the tables up to and including the one named. Anything short of
/// <see cref="Entities"/> leaves the store incomplete; only the store profile (bench/Sitrep.Bench) writes less, to
/// measure each table's share of the writer's cost with the writer's own statements.
/// </summary>
internal enum WriteDepth
{
    /// <summary>Documents and the paths that hold them.</summary>
    Documents,
    /// <summary>+ the pieces of each document.</summary>
    Pieces,
    /// <summary>+ the articles (with their time and quotes JSON).</summary>
    Articles,
    /// <summary>+ entities, mentions and role claims: everything <see cref="SqliteStore.WriteAsync(IAsyncEnumerable{Pipeline.AnalyzedDocument}, string, CancellationToken)"/> writes.</summary>
    Entities,
}

/// <summary>What one write did.</summary>
/// <param name="Reanalysed">Unchanged files analysed again because the pipeline (code, KB, models) changed.</param>
public sealed record WriteSummary(int Added, int Replaced, int Unchanged, int Articles, int Reanalysed = 0)
{
    /// <summary>Documents refused because they would break the store's invariants (<see cref="DocumentCheck"/>), each with a one-line reason.</summary>
    public IReadOnlyList<InputProblem> Refused { get; init; } = [];
}

/// <summary>
/// The embedded store: one SQLite file. The schema is versioned (PRAGMA user_version) and migrated forward on open;
/// a file that is not a Sitrep database is refused, never overwritten. Every write is one transaction.
/// </summary>
public sealed partial class SqliteStore : IStore, IDisposable
{
    /// <summary>'SITR': marks the file as ours.</summary>
    public const int ApplicationId = 0x53495452;

    private static readonly string[] Migrations =
    [
        // v1: documents, the paths that hold them, pieces, articles with their sentences, full-text search.
        """
        CREATE TABLE documents (
            id        TEXT PRIMARY KEY,
            encoding  TEXT NOT NULL,
            format    TEXT NOT NULL,
            bytes     INTEGER NOT NULL,
            text      TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE files (
            path        TEXT PRIMARY KEY,
            document_id TEXT NOT NULL REFERENCES documents(id)
        ) WITHOUT ROWID;
        CREATE INDEX files_document ON files(document_id);
        CREATE TABLE pieces (
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            seq         INTEGER NOT NULL,
            kind        TEXT NOT NULL,
            start       INTEGER NOT NULL,
            "end"       INTEGER NOT NULL,
            article     INTEGER NOT NULL,
            reason      TEXT NOT NULL,
            PRIMARY KEY (document_id, seq)
        ) WITHOUT ROWID;
        CREATE TABLE articles (
            id          TEXT PRIMARY KEY,
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            seq         INTEGER NOT NULL,
            is_main     INTEGER NOT NULL,
            title       TEXT,
            dek         TEXT,
            outlet      TEXT,
            byline      TEXT,
            dateline    TEXT,
            text_start  INTEGER NOT NULL,
            text_end    INTEGER NOT NULL,
            sentences   INTEGER NOT NULL,
            tokens      INTEGER NOT NULL,
            sentence_spans BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX articles_document ON articles(document_id, seq);
        CREATE VIRTUAL TABLE article_search USING fts5(article_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2');
        """,
        // v2: actors (entities linked to the knowledge base), their mentions and the roles the text gives them;
        // documents remember which pipeline produced them, so a changed KB or model re-analyses them.
        """
        ALTER TABLE documents ADD COLUMN pipeline TEXT NOT NULL DEFAULT '';
        CREATE TABLE entities (
            article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            key         TEXT NOT NULL,
            name        TEXT NOT NULL,
            kb_id       TEXT,
            type        TEXT NOT NULL,
            confidence  REAL NOT NULL,
            PRIMARY KEY (article_id, key)
        ) WITHOUT ROWID;
        CREATE INDEX entities_key ON entities(key);
        CREATE TABLE mentions (
            article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start       INTEGER NOT NULL,
            "end"       INTEGER NOT NULL,
            key         TEXT NOT NULL,
            kind        TEXT,
            source      TEXT NOT NULL,
            confidence  REAL NOT NULL,
            PRIMARY KEY (article_id, start, "end")
        ) WITHOUT ROWID;
        CREATE TABLE role_claims (
            article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start       INTEGER NOT NULL,
            "end"       INTEGER NOT NULL,
            key         TEXT NOT NULL,
            title       TEXT NOT NULL,
            role_id     TEXT,
            org_id      TEXT,
            person_start INTEGER NOT NULL,
            former      INTEGER NOT NULL,
            PRIMARY KEY (article_id, start)
        ) WITHOUT ROWID;
        """,
        // v3: the time stage's result per article (date interval with basis, times, flags, timeline) as JSON.
        """
        ALTER TABLE articles ADD COLUMN time_json TEXT;
        """,
        // v4: the attribution stage's result per article (quotes with speakers, sourcing summary) as JSON.
        """
        ALTER TABLE articles ADD COLUMN quotes_json TEXT;
        """,
        // v5: where a document came from (URL, site, authors, language, feed, fetch time) as JSON.
        """
        ALTER TABLE documents ADD COLUMN provenance_json TEXT;
        """,
        // v6: the cross-source model, kept up to date at ingest (Stories/CrossSourceStage): articles waiting for it
        // (filled by triggers in the transaction that writes or deletes an article), the stage's state between runs, copy
        // links, story membership with merge history, stories, claims with their sources, threads.
        ModelSchema.Sql,
        // v7: each model article's claim digest (Stories/ClaimDigest): what grading reads instead of the document; a
        // claim's and a member's period in its story (claims are graded per period: Stories/CrossSourceStage.ClaimPeriodArticles) and its rank in
        // its story; model articles by date (related articles are sought among those of the same time).
        """
        CREATE TABLE claim_digests (article_id TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
        ALTER TABLE claims ADD COLUMN period INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE claims ADD COLUMN rank TEXT NOT NULL DEFAULT '';
        CREATE INDEX story_articles_date ON story_articles(date);
        ALTER TABLE story_articles ADD COLUMN period INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX story_articles_period ON story_articles(story_id, period);
        """,
        // v8: a story's claims by status in rank order, covering (claims listed by status walk the stories in rank
        // order and stop at the limit; a story's counts by status read no claim).
        """
        CREATE INDEX claims_story_status ON claims(story_id, status, rank, ord);
        """,
    ];

    public static int SchemaVersion => Migrations.Length;

    private readonly SqliteConnection _db;
    public string Path { get; }

    private readonly bool _readOnly;

    private SqliteStore(string path, SqliteConnection db, bool readOnly)
    {
        Path = path;
        _db = db;
        _readOnly = readOnly;
        _indexWritable = !readOnly;
    }

    /// <summary>Opens (creating if needed) and migrates the store. Throws <see cref="StoreException"/> when the file cannot be used.</summary>
    public static async Task<SqliteStore> OpenAsync(string path, CancellationToken ct = default, bool readOnly = false)
    {
        if (Directory.Exists(path)) throw new StoreException(path, "is a folder, not a database file");
        if (readOnly && !File.Exists(path)) throw new StoreException(path, "no such database (run `sitrep analyze` or `sitrep ingest` first)");
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var cs = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 5,
        }.ToString();
        var db = new SqliteConnection(cs);
        try
        {
            try
            {
                await db.OpenAsync(ct).ConfigureAwait(false);
                _ = Scalar<long>(db, "PRAGMA application_id;"); // the first read is where SQLite opens the WAL index
            }
            catch (SqliteException e) when (readOnly && e.SqliteErrorCode == 14)
            {
                // A WAL store on read-only media whose shared-memory file was never made cannot be opened the usual
                // way; opened as immutable, SQLite reads it without the WAL index (nothing can be writing to it).
                await db.DisposeAsync().ConfigureAwait(false);
                db = new SqliteConnection(new SqliteConnectionStringBuilder
                {
                    DataSource = new Uri(System.IO.Path.GetFullPath(path)).AbsoluteUri + "?immutable=1",
                    Mode = SqliteOpenMode.ReadOnly,
                    Pooling = false,
                    DefaultTimeout = 5,
                }.ToString());
                await db.OpenAsync(ct).ConfigureAwait(false);
            }
            Exec(db, "PRAGMA busy_timeout = 2000;");
            var appId = Scalar<long>(db, "PRAGMA application_id;");
            var version = Scalar<long>(db, "PRAGMA user_version;");
            var tables = Scalar<long>(db, "SELECT count(*) FROM sqlite_master;");
            if (appId != ApplicationId && (appId != 0 || tables > 0))
                throw new StoreException(path, "not a Sitrep database (it holds other data; choose another --db)");
            if (version > Migrations.Length)
                throw new StoreException(path, $"database schema v{version} is newer than this sitrep (v{Migrations.Length}); upgrade sitrep");
            if (readOnly && version > 0 && version < Migrations.Length)
                throw new StoreException(path, $"database schema v{version} is older than this sitrep (v{Migrations.Length}); run `sitrep rebuild --db {path}` once to bring it up to date");
            Exec(db, "PRAGMA foreign_keys = ON;");
            if (!readOnly)
            {
                // A 64 MiB page cache spares the writer re-reading pages through the WAL (measured: -20% writer CPU).
                Exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;");
                // A writer never adds to a damaged file: damage found now is reported before anything is written.
                if (tables > 0 && QuickCheck(db) is { } damage)
                    throw new StoreException(path, $"database is damaged ({damage}); writes are refused. Run `sitrep check --db {path}`, then `sitrep repair --db {path}`");
                if (version < Migrations.Length) Migrate(db, (int)version);
            }
            return new SqliteStore(path, db, readOnly);
        }
        catch (SqliteException e)
        {
            db.Dispose();
            throw Translate(path, e);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>SQLite's <c>PRAGMA quick_check</c>: null when the file's pages are sound, else its first finding.</summary>
    internal static string? QuickCheck(SqliteConnection db, bool full = false)
    {
        using var c = db.CreateCommand();
        c.CommandText = full ? "PRAGMA integrity_check(20);" : "PRAGMA quick_check(1);";
        using var r = c.ExecuteReader();
        var first = r.Read() ? r.GetString(0) : "no answer";
        return first == "ok" ? null : SourceLoader.OneLine(first);
    }

    private static void Migrate(SqliteConnection db, int from)
    {
        using var tx = db.BeginTransaction();
        for (int v = from; v < Migrations.Length; v++)
        {
            Exec(db, Migrations[v], tx);
            Exec(db, $"PRAGMA user_version = {v + 1};", tx);
        }
        Exec(db, $"PRAGMA application_id = {ApplicationId};", tx);
        tx.Commit();
    }

    internal static StoreException Translate(string path, SqliteException e) => e.SqliteErrorCode switch
    {
        5 or 6 => new StoreException(path, "database is locked by another process; try again when it is done", e),
        26 => new StoreException(path, "not a database (file is corrupt or of another kind)", e),
        11 => new StoreException(path, "database is corrupt (malformed); restore it from a copy or choose another --db", e),
        8 => new StoreException(path, "database is read-only", e),
        14 => new StoreException(path, "cannot open database file", e),
        13 => new StoreException(path, "disk is full", e),
        _ => new StoreException(path, SourceLoader.OneLine(e.Message), e),
    };

    // ------------------------------------------------------------------ writing

    /// <summary>
    /// Writes documents in one transaction. A path whose content is unchanged is left as it is; a path whose content
    /// changed points to the new document and the old one is removed when nothing else holds it.
    /// </summary>
    /// <param name="pipeline">Fingerprint of the pipeline (code version, KB, models) that analysed the documents; a stored
    /// document analysed by another pipeline is analysed again rather than counted unchanged.</param>
    public Task<WriteSummary> WriteAsync(IAsyncEnumerable<AnalyzedDocument> documents, string pipeline = "", CancellationToken ct = default) =>
        WriteAsync(documents, pipeline, WriteDepth.Entities, ct);

    /// <summary>
    /// A long write commits in checkpoints: after this many documents (or <see cref="CheckpointInterval"/>) the
    /// transaction is committed and a new one begun, so a crash loses at most the work since the last checkpoint. A
    /// re-run of the same input is idempotent either way.
    /// </summary>
    public int CheckpointDocuments { get; set; } = 1000;

    /// <summary>The longest time between two commits of a long write.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>As the public overload, storing each new document only down to <paramref name="depth"/> (for profiling).</summary>
    internal async Task<WriteSummary> WriteAsync(IAsyncEnumerable<AnalyzedDocument> documents, string pipeline, WriteDepth depth, CancellationToken ct = default)
    {
        if (_readOnly) throw new StoreException(Path, "opened read-only; writes are refused");
        int added = 0, replaced = 0, unchanged = 0, articles = 0, reanalysed = 0, committed = 0, pending = 0;
        var refused = new List<InputProblem>();
        SqliteTransaction tx = null!;
        Writer w = null!;
        bool open = false;
        void Start()
        {
            tx = Begin();
            open = true;
            w = new Writer(_db, tx, depth);
            // A document analysed again is deleted and re-inserted while its paths still point at it.
            Exec(_db, "PRAGMA defer_foreign_keys = ON;", tx);
        }
        async Task CommitAsync()
        {
            w.Dispose();
            await tx.CommitAsync(ct).ConfigureAwait(false);
            open = false;
            committed += pending;
            pending = 0;
        }
        Start();
        var since = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await foreach (var doc in documents.WithCancellation(ct).ConfigureAwait(false))
            {
                // A URL (or a WARC record of one) is kept as it is; a file path is made absolute.
                var path = doc.Source.Path.Contains("://", StringComparison.Ordinal) ? doc.Source.Path : System.IO.Path.GetFullPath(doc.Source.Path);
                var old = w.DocumentOf(path);
                var stored = w.PipelineOf(doc.Source.Id);
                if (old == doc.Source.Id && stored == pipeline) { unchanged++; continue; }
                if (stored != pipeline)
                {
                    // Only a document whose rows are about to be written is checked: one already stored passed.
                    if (DocumentCheck.Problem(doc) is { } problem)
                    {
                        refused.Add(new InputProblem(doc.Source.Path, "not stored: " + problem));
                        continue;
                    }
                    if (stored != null) w.Delete(doc.Source.Id);
                    w.InsertDocument(doc, pipeline);
                    articles += doc.Articles.Count;
                }
                pending++;
                if (old == doc.Source.Id) reanalysed++;
                else
                {
                    w.SetFile(path, doc.Source.Id);
                    if (old != null) { replaced++; w.DeleteIfOrphan(old); }
                    else added++;
                }
                if (pending >= CheckpointDocuments || since.Elapsed >= CheckpointInterval)
                {
                    // Checkpoint: what is written so far is committed; the rest of the run goes on in a new transaction.
                    await CommitAsync().ConfigureAwait(false);
                    await tx.DisposeAsync().ConfigureAwait(false);
                    since.Restart();
                    Start();
                }
            }
            await CommitAsync().ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw Translate(Path, e);
        }
        catch (OperationCanceledException) when (committed > 0)
        {
            throw new OperationCanceledException($"cancelled; {committed} document(s) committed at earlier checkpoints are kept (re-run the same input to complete it)", ct);
        }
        finally
        {
            w.Dispose();
            // What the open transaction wrote since the last commit is undone.
            if (open) await RollbackQuietlyAsync(tx).ConfigureAwait(false);
            await tx.DisposeAsync().ConfigureAwait(false);
        }
        return new WriteSummary(added, replaced, unchanged, articles, reanalysed) { Refused = refused };
    }

    /// <summary>Rolls back what is left of a failed write; a transaction already gone (its connection failed) is not an error of its own.</summary>
    private static async Task RollbackQuietlyAsync(SqliteTransaction tx)
    {
        try { await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false); }
        catch (Exception e) when (e is SqliteException or InvalidOperationException or ObjectDisposedException) { }
    }

    private SqliteTransaction Begin()
    {
        try { return _db.BeginTransaction(deferred: false); }
        catch (SqliteException e) { throw Translate(Path, e); }
    }

    /// <summary>Prepared statements for one transaction.</summary>
    private sealed class Writer : IDisposable
    {
        private readonly SqliteCommand _fileOf, _hasDoc, _insDoc, _setFile, _insPiece, _insArticle, _refs, _delSearch, _delDoc,
            _insEntity, _insMention, _insRole;
        private readonly WriteDepth _depth;

        public Writer(SqliteConnection db, SqliteTransaction tx, WriteDepth depth)
        {
            _depth = depth;
            _fileOf = Cmd(db, tx, "SELECT document_id FROM files WHERE path = $p", "$p");
            _hasDoc = Cmd(db, tx, "SELECT pipeline FROM documents WHERE id = $id", "$id");
            _insDoc = Cmd(db, tx, "INSERT INTO documents (id, encoding, format, bytes, text, pipeline, provenance_json) VALUES ($id, $enc, $fmt, $bytes, $text, $pipe, $prov)", "$id", "$enc", "$fmt", "$bytes", "$text", "$pipe", "$prov");
            _insEntity = Cmd(db, tx, "INSERT INTO entities (article_id, key, name, kb_id, type, confidence) VALUES ($a, $k, $n, $kb, $t, $c)", "$a", "$k", "$n", "$kb", "$t", "$c");
            _insMention = Cmd(db, tx, "INSERT INTO mentions (article_id, start, \"end\", key, kind, source, confidence) VALUES ($a, $s, $e, $k, $kind, $src, $c)", "$a", "$s", "$e", "$k", "$kind", "$src", "$c");
            _insRole = Cmd(db, tx, "INSERT OR IGNORE INTO role_claims (article_id, start, \"end\", key, title, role_id, org_id, person_start, former) VALUES ($a, $s, $e, $k, $t, $r, $o, $p, $f)", "$a", "$s", "$e", "$k", "$t", "$r", "$o", "$p", "$f");
            _setFile = Cmd(db, tx, "INSERT INTO files (path, document_id) VALUES ($p, $id) ON CONFLICT(path) DO UPDATE SET document_id = excluded.document_id", "$p", "$id");
            _insPiece = Cmd(db, tx, "INSERT INTO pieces (document_id, seq, kind, start, \"end\", article, reason) VALUES ($d, $seq, $kind, $s, $e, $a, $r)", "$d", "$seq", "$kind", "$s", "$e", "$a", "$r");
            _insArticle = Cmd(db, tx, """
                INSERT INTO articles (id, document_id, seq, is_main, title, dek, outlet, byline, dateline, text_start, text_end, sentences, tokens, sentence_spans, time_json, quotes_json)
                VALUES ($id, $d, $seq, $main, $title, $dek, $outlet, $byline, $dateline, $s, $e, $ns, $nt, $spans, $time, $quotes)
                """, "$id", "$d", "$seq", "$main", "$title", "$dek", "$outlet", "$byline", "$dateline", "$s", "$e", "$ns", "$nt", "$spans", "$time", "$quotes");
            _refs = Cmd(db, tx, "SELECT count(*) FROM files WHERE document_id = $id", "$id");
            _delSearch = Cmd(db, tx, "DELETE FROM article_search WHERE article_id IN (SELECT id FROM articles WHERE document_id = $id)", "$id");
            _delDoc = Cmd(db, tx, "DELETE FROM documents WHERE id = $id", "$id");
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

        public string? DocumentOf(string path) => Run(_fileOf, path) as string;
        public string? PipelineOf(string id) => Run(_hasDoc, id) as string;
        public void SetFile(string path, string id) => Run(_setFile, path, id);

        public void InsertDocument(AnalyzedDocument doc, string pipeline)
        {
            var src = doc.Source;
            Run(_insDoc, src.Id, src.Encoding, src.Format == DocumentFormat.Html ? "html" : "text", src.Bytes, src.Text, pipeline, doc.ProvenanceJson);
            if (_depth < WriteDepth.Pieces) return;
            var pieces = doc.Segmentation.Pieces;
            for (int i = 0; i < pieces.Count; i++)
            {
                var p = pieces[i];
                Run(_insPiece, src.Id, i, PieceKinds.Name(p.Kind), p.Start, p.End, p.Article, p.Reason);
            }
            if (_depth < WriteDepth.Articles) return;
            foreach (var a in doc.Articles)
            {
                var l = a.Layout;
                Run(_insArticle, a.Id, src.Id, l.Index, l.IsMain ? 1 : 0, l.Title, l.Dek, l.Outlet, l.Byline, l.Dateline,
                    l.TextStart, l.TextEnd, a.Sentences.Count, a.Tokens, EncodeSentences(a.Sentences), a.TimeJson, a.QuotesJson);
                if (_depth < WriteDepth.Entities) continue;
                foreach (var e in a.Entities)
                {
                    Run(_insEntity, a.Id, e.Key, e.Name, e.KbId, e.Type, e.Confidence);
                    foreach (var m in e.Mentions)
                        Run(_insMention, a.Id, m.Start, m.End, e.Key, m.Kind?.ToString().ToLowerInvariant(), m.Source, m.Confidence);
                    foreach (var r in e.Roles)
                        Run(_insRole, a.Id, r.Start, r.End, e.Key, r.Title, r.RoleId, r.OrgId, r.PersonStart, r.Former ? 1 : 0);
                }
            }
        }

        public void Delete(string id)
        {
            Run(_delSearch, id);
            Run(_delDoc, id);
        }

        public void DeleteIfOrphan(string id)
        {
            if (Convert.ToInt64(Run(_refs, id)) == 0) Delete(id);
        }

        public void Dispose()
        {
            foreach (var c in new[] { _fileOf, _hasDoc, _insDoc, _setFile, _insPiece, _insArticle, _refs, _delSearch, _delDoc, _insEntity, _insMention, _insRole }) c.Dispose();
        }
    }

    internal static byte[] EncodeSentences(IReadOnlyList<SentenceSpan> spans)
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

    internal static SentenceSpan[] DecodeSentences(byte[] bytes)
    {
        var spans = new SentenceSpan[bytes.Length / 16];
        for (int i = 0; i < spans.Length; i++)
        {
            var d = bytes.AsSpan(i * 16);
            spans[i] = new SentenceSpan(BinaryPrimitives.ReadInt32LittleEndian(d), BinaryPrimitives.ReadInt32LittleEndian(d[4..]),
                BinaryPrimitives.ReadInt32LittleEndian(d[8..]), BinaryPrimitives.ReadInt32LittleEndian(d[12..]));
        }
        return spans;
    }

    // ------------------------------------------------------------------ reading

    private readonly Dictionary<string, string> _skipped = new(StringComparer.Ordinal);

    /// <summary>
    /// Documents that reading passed over because their rows are damaged or break the invariants
    /// (<see cref="DocumentCheck"/>): id (or the table) and a one-line reason, in the order met. Readers serve every
    /// other document; commands report these lines.
    /// </summary>
    public IReadOnlyList<(string Id, string Reason)> Skipped => [.. _skipped.Select(kv => (kv.Key, kv.Value))];

    private void Skip(string id, string reason)
    {
        lock (_skipped) _skipped.TryAdd(id, reason);
    }

    /// <summary>
    /// Streams every stored document in path order, with its pieces and articles. A document whose rows cannot be
    /// read or break the store's invariants is passed over and listed in <see cref="Skipped"/>; the rest are served.
    /// </summary>
    public async IAsyncEnumerable<StoredDocument> ReadDocumentsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var (doc, _) in ReadAllAsync(ct).ConfigureAwait(false))
            if (doc != null) yield return doc;
    }

    /// <summary>
    /// Every stored document in path order with the pipeline that analysed it, or (null, id) for one that cannot be
    /// read or is inconsistent (its reason is in <see cref="Skipped"/>).
    /// </summary>
    internal async IAsyncEnumerable<(StoredDocument? Document, string Id)> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var order = new List<(string Id, List<string> Files)>();
        try
        {
            using var c = _db.CreateCommand();
            c.CommandText = "SELECT document_id, path FROM files ORDER BY path";
            using var r = await c.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var index = new Dictionary<string, List<string>>();
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var id = r.GetString(0);
                if (!index.TryGetValue(id, out var files)) { files = []; index[id] = files; order.Add((id, files)); }
                files.Add(r.GetString(1));
            }
        }
        catch (SqliteException e)
        {
            // The list of paths is damaged: serve the documents by id, each without the paths that could not be read.
            Skip("files", $"the table of file paths cannot be read ({SourceLoader.OneLine(e.Message)}); documents are served without the paths that were lost");
            var known = order.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
            try
            {
                using var c = _db.CreateCommand();
                c.CommandText = "SELECT id FROM documents ORDER BY id";
                using var r = c.ExecuteReader();
                while (r.Read())
                    if (known.Add(r.GetString(0))) order.Add((r.GetString(0), []));
            }
            catch (SqliteException e2)
            {
                Skip("documents", $"the table of documents cannot be read past {order.Count} entries ({SourceLoader.OneLine(e2.Message)})");
            }
        }
        using var q = new DocumentQueries(_db);
        foreach (var (id, files) in order)
        {
            ct.ThrowIfCancellationRequested();
            StoredDocument? doc;
            string? problem;
            try
            {
                (doc, problem) = q.Read(id, files);
                if (doc != null) problem ??= DocumentCheck.Problem(doc);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Any failure to read one document's rows (a damaged page, a garbled value) costs that document only.
                doc = null;
                problem = e is SqliteException se
                    ? $"its rows cannot be read ({SourceLoader.OneLine(se.Message)})"
                    : $"its rows cannot be read ({e.GetType().Name}: {SourceLoader.OneLine(e.Message)})";
            }
            if (problem != null)
            {
                Skip(id, problem);
                yield return (null, id);
            }
            else if (doc != null) yield return (doc, id);
        }
    }

    /// <summary>The prepared statements that read one document with its pieces, articles, entities, mentions and roles.</summary>
    private sealed class DocumentQueries : IDisposable
    {
        private readonly SqliteCommand _doc, _pieces, _articles, _entities, _mentions, _roles;

        public DocumentQueries(SqliteConnection db)
        {
            _doc = Cmd(db, "SELECT encoding, format, bytes, text, provenance_json, pipeline FROM documents WHERE id = $id");
            _pieces = Cmd(db, "SELECT kind, start, \"end\", article, reason FROM pieces WHERE document_id = $id ORDER BY seq");
            _articles = Cmd(db, "SELECT id, seq, is_main, title, dek, outlet, byline, dateline, text_start, text_end, sentences, tokens, sentence_spans, time_json, quotes_json FROM articles WHERE document_id = $id ORDER BY seq");
            _entities = Cmd(db, "SELECT key, name, kb_id, type, confidence FROM entities WHERE article_id = $id");
            _mentions = Cmd(db, "SELECT key, start, \"end\", kind, source, confidence FROM mentions WHERE article_id = $id ORDER BY start");
            _roles = Cmd(db, "SELECT key, title, role_id, org_id, start, \"end\", person_start, former FROM role_claims WHERE article_id = $id ORDER BY start");
        }

        private static SqliteCommand Cmd(SqliteConnection db, string sql)
        {
            var c = db.CreateCommand();
            c.CommandText = sql;
            c.Parameters.Add(new SqliteParameter("$id", ""));
            return c;
        }

        /// <summary>The document, or (null, reason) when it is gone.</summary>
        public (StoredDocument? Document, string? Problem) Read(string id, List<string> files)
        {
            _doc.Parameters[0].Value = _pieces.Parameters[0].Value = _articles.Parameters[0].Value = id;
            string encoding, format, text, pipeline;
            string? provenance;
            long bytes;
            using (var r = _doc.ExecuteReader())
            {
                if (!r.Read()) return (null, "a file path points to it, but the document is missing");
                encoding = r.GetString(0); format = r.GetString(1); bytes = r.GetInt64(2); text = r.GetString(3);
                provenance = r.IsDBNull(4) ? null : r.GetString(4);
                pipeline = r.GetString(5);
            }
            var pieces = new List<Piece>();
            using (var r = _pieces.ExecuteReader())
                while (r.Read())
                    pieces.Add(new Piece(PieceKinds.Parse(r.GetString(0)), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetString(4)));
            var articles = new List<StoredArticle>();
            using (var r = _articles.ExecuteReader())
                while (r.Read())
                    articles.Add(new StoredArticle(r.GetString(0), r.GetInt32(1), r.GetInt32(2) != 0, Str(r, 3), Str(r, 4), Str(r, 5), Str(r, 6), Str(r, 7),
                        r.GetInt32(8), r.GetInt32(9), r.GetInt32(10), r.GetInt32(11), DecodeSentences((byte[])r.GetValue(12))) { TimeJson = Str(r, 13), QuotesJson = Str(r, 14) });
            for (int i = 0; i < articles.Count; i++)
            {
                _entities.Parameters[0].Value = _mentions.Parameters[0].Value = _roles.Parameters[0].Value = articles[i].Id;
                var mentions = new Dictionary<string, List<Mention>>();
                using (var r = _mentions.ExecuteReader())
                    while (r.Read())
                    {
                        var kind = r.IsDBNull(3) ? (MatchKind?)null : Enum.Parse<MatchKind>(r.GetString(3), ignoreCase: true);
                        var m = new Mention(r.GetInt32(1), r.GetInt32(2), kind, r.GetDouble(5), r.GetString(4));
                        if (!mentions.TryGetValue(r.GetString(0), out var list)) mentions[r.GetString(0)] = list = [];
                        list.Add(m);
                    }
                var roles = new Dictionary<string, List<ClaimedRole>>();
                using (var r = _roles.ExecuteReader())
                    while (r.Read())
                    {
                        var c = new ClaimedRole(r.GetString(1), Str(r, 2), Str(r, 3), r.GetInt32(4), r.GetInt32(5), r.GetInt32(6), r.GetInt32(7) != 0);
                        if (!roles.TryGetValue(r.GetString(0), out var list)) roles[r.GetString(0)] = list = [];
                        list.Add(c);
                    }
                var entities = new List<LinkedEntity>();
                using (var r = _entities.ExecuteReader())
                    while (r.Read())
                    {
                        var key = r.GetString(0);
                        entities.Add(new LinkedEntity(key, r.GetString(1), Str(r, 2), r.GetString(3), r.GetDouble(4),
                            mentions.TryGetValue(key, out var ms) ? [.. ms] : [],
                            roles.TryGetValue(key, out var rs) ? [.. rs] : []));
                    }
                articles[i] = articles[i] with { Entities = entities.OrderBy(e => e.Mentions.Length > 0 ? e.Mentions[0].Start : int.MaxValue).ThenBy(e => e.Key, StringComparer.Ordinal).ToList() };
            }
            return (new StoredDocument(id, files, encoding, format, bytes, text, pieces, articles) { ProvenanceJson = provenance, Pipeline = pipeline }, null);
        }

        public void Dispose()
        {
            foreach (var c in new[] { _doc, _pieces, _articles, _entities, _mentions, _roles }) c.Dispose();
        }
    }

    /// <summary>
    /// Brings the full-text index up to date: indexes every stored article not yet in it, in one transaction.
    /// Indexing is kept off the ingest path (it was two thirds of the writer's time); `analyze` and `search` call
    /// this, so the index is always current when it is read. Returns how many articles were indexed.
    /// </summary>
    public async Task<int> UpdateSearchIndexAsync(CancellationToken ct = default)
    {
        if (!_indexWritable) return 0;
        try
        {
            using var tx = _db.BeginTransaction(deferred: false);
            int n = await IndexAsync("article_search", tx, ct).ConfigureAwait(false);
            tx.Commit();
            return n;
        }
        // A store on a read-only file system is searched through a private index (see SearchAsync).
        catch (SqliteException e) when (e.SqliteErrorCode == 8) { _indexWritable = false; return 0; }
        catch (SqliteException e) { throw Translate(Path, e); }
    }

    /// <summary>False when the stored index cannot be brought up to date (opened read-only, or on a read-only file system).</summary>
    private bool _indexWritable;

    /// <summary>Indexes into <paramref name="table"/> every article the stored index lacks (all of them for a private index).</summary>
    private async Task<int> IndexAsync(string table, SqliteTransaction? tx, CancellationToken ct)
    {
        int n = 0;
        using var pending = _db.CreateCommand();
        pending.Transaction = tx;
        pending.CommandText = """
            SELECT a.id, a.document_id, a.seq, coalesce(a.title, a.dek, '') FROM articles a
            WHERE NOT EXISTS (SELECT 1 FROM article_search s WHERE s.article_id = a.id)
            ORDER BY a.document_id, a.seq
            """;
        var todo = new List<(string Id, string Doc, int Seq, string Title)>();
        using (var r = await pending.ExecuteReaderAsync(ct).ConfigureAwait(false))
            while (await r.ReadAsync(ct).ConfigureAwait(false)) todo.Add((r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3)));
        if (todo.Count == 0) return 0;
        using var text = _db.CreateCommand();
        text.Transaction = tx;
        text.CommandText = "SELECT text FROM documents WHERE id = $d";
        var textDoc = text.Parameters.Add(new SqliteParameter("$d", ""));
        using var body = _db.CreateCommand();
        body.Transaction = tx;
        body.CommandText = "SELECT start, \"end\" FROM pieces WHERE document_id = $d AND article = $a AND kind IN ('article', 'subheading') ORDER BY seq";
        var bodyDoc = body.Parameters.Add(new SqliteParameter("$d", ""));
        var bodyArt = body.Parameters.Add(new SqliteParameter("$a", 0));
        using var ins = _db.CreateCommand();
        ins.Transaction = tx;
        ins.CommandText = $"INSERT INTO {table} (article_id, title, body) VALUES ($id, $title, $body)";
        var insId = ins.Parameters.Add(new SqliteParameter("$id", ""));
        var insTitle = ins.Parameters.Add(new SqliteParameter("$title", ""));
        var insBody = ins.Parameters.Add(new SqliteParameter("$body", ""));
        ins.Prepare();
        string? docId = null, docText = null;
        var sb = new System.Text.StringBuilder();
        foreach (var (id, doc, seq, title) in todo)
        {
            ct.ThrowIfCancellationRequested();
            if (doc != docId) { textDoc.Value = docId = doc; docText = text.ExecuteScalar() as string; }
            if (docText == null) { Skip(doc, "its text is missing; its articles are left out of the search index"); continue; }
            bodyDoc.Value = doc;
            bodyArt.Value = seq;
            sb.Clear();
            bool inside = true;
            using (var r = body.ExecuteReader())
                while (r.Read())
                {
                    int start = r.GetInt32(0), end = r.GetInt32(1);
                    if (start < 0 || end < start || end > docText.Length) { inside = false; break; }
                    sb.Append(docText, start, end - start).Append('\n');
                }
            if (!inside) { Skip(doc, "a piece lies outside its text; left out of the search index"); continue; }
            insId.Value = id;
            insTitle.Value = title;
            insBody.Value = sb.ToString();
            ins.ExecuteNonQuery();
            n++;
        }
        return n;
    }

    /// <summary>
    /// Full-text search over article titles and bodies (FTS5 query syntax); returns article ids, best first. On a store
    /// that cannot be written (opened read-only, a read-only file system) articles the stored index lacks are indexed
    /// into a private in-memory table for this connection, so every article is searched all the same.
    /// </summary>
    public async Task<IReadOnlyList<(string ArticleId, string Snippet)>> SearchAsync(string query, int limit = 20, CancellationToken ct = default)
    {
        if (SearchQueryProblem(query) is { } problem) throw new StoreException(Path, problem);
        await UpdateSearchIndexAsync(ct).ConfigureAwait(false);
        var hits = new List<(string, string)>();
        try
        {
            var tables = new List<string> { "article_search" };
            if (!_indexWritable)
            {
                Exec(_db, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.article_search_private USING fts5(article_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2');");
                Exec(_db, "DELETE FROM temp.article_search_private;");
                if (await IndexAsync("temp.article_search_private", null, ct).ConfigureAwait(false) > 0) tables.Add("article_search_private");
            }
            var union = string.Join(" UNION ALL ", tables.Select(t => $"SELECT article_id, snippet({t}, 2, '[', ']', '…', 12) AS snippet, rank FROM {t} WHERE {t} MATCH $q"));
            using var c = _db.CreateCommand();
            c.CommandText = $"SELECT article_id, snippet FROM ({union}) ORDER BY rank LIMIT $n";
            c.Parameters.AddWithValue("$q", query);
            c.Parameters.AddWithValue("$n", limit);
            using var r = await c.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) hits.Add((r.GetString(0), r.GetString(1)));
        }
        catch (SqliteException e) { throw Translate(Path, e); }
        return hits;
    }

    /// <summary>SQLite's full <c>PRAGMA integrity_check</c> (up to 20 findings, joined): null when every page is sound.</summary>
    public string? IntegrityCheck()
    {
        using var c = _db.CreateCommand();
        c.CommandText = "PRAGMA integrity_check(20);";
        using var r = c.ExecuteReader();
        var found = new List<string>();
        while (r.Read()) found.Add(r.GetString(0));
        return found is ["ok"] ? null : SourceLoader.OneLine(string.Join("; ", found));
    }

    /// <summary>Rows that nothing points to: documents no path holds, search entries of articles gone.</summary>
    public int CountOrphans() => (int)Scalar<long>(_db, """
        SELECT (SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.document_id = d.id))
             + (SELECT count(*) FROM files f WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = f.document_id))
             + (SELECT count(*) FROM article_search s WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = s.article_id));
        """);

    /// <summary>The paths that hold a document (empty when they cannot be read).</summary>
    public IReadOnlyList<string> FilesOf(string documentId)
    {
        try
        {
            using var c = _db.CreateCommand();
            c.CommandText = "SELECT path FROM files WHERE document_id = $id ORDER BY path";
            c.Parameters.AddWithValue("$id", documentId);
            using var r = c.ExecuteReader();
            var files = new List<string>();
            while (r.Read()) files.Add(r.GetString(0));
            return files;
        }
        catch (SqliteException) { return []; }
    }

    /// <summary>The longest search query taken, in characters and in words: a query's cost grows with its terms.</summary>
    public const int MaxQueryChars = 1000, MaxQueryWords = 64;

    /// <summary>Why a search query is refused (too long), or null.</summary>
    public static string? SearchQueryProblem(string query)
    {
        if (query.Length > MaxQueryChars) return $"search query too long ({query.Length} characters; the limit is {MaxQueryChars})";
        int words = query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        if (words > MaxQueryWords) return $"search query too long ({words} words; the limit is {MaxQueryWords})";
        if (string.IsNullOrWhiteSpace(query)) return "search query is empty";
        return null;
    }

    /// <summary>Every row of every table, in a stable order: for checking that two states hold the same content.</summary>
    public IEnumerable<string> DumpRows()
    {
        foreach (var (table, order) in new[] { ("documents", "id"), ("files", "path"), ("pieces", "document_id, seq"), ("articles", "id"), ("article_search", "article_id"),
                     ("entities", "article_id, key"), ("mentions", "article_id, start, \"end\""), ("role_claims", "article_id, start"),
                     ("model_pending", "article_id"), ("model_state", "name"), ("copies", "article_id"), ("story_articles", "article_id"),
                     ("story_merges", "story_id"), ("stories", "id"), ("claims", "story_id, ord"), ("claim_sources", "story_id, claim_ord, article_id, start, role"),
                     ("threads", "ord") })
        {
            using var c = _db.CreateCommand();
            c.CommandText = $"SELECT * FROM {table} ORDER BY {order}";
            using var r = c.ExecuteReader();
            while (r.Read())
            {
                var cells = new string[r.FieldCount];
                for (int i = 0; i < r.FieldCount; i++)
                    cells[i] = r.IsDBNull(i) ? "∅" : r.GetValue(i) is byte[] b ? Convert.ToHexString(b) : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!;
                yield return table + "|" + string.Join("|", cells);
            }
        }
    }

    private static string? Str(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static void Exec(SqliteConnection db, string sql, SqliteTransaction? tx = null)
    {
        using var c = db.CreateCommand();
        c.Transaction = tx;
        c.CommandText = sql;
        c.ExecuteNonQuery();
    }

    private static T Scalar<T>(SqliteConnection db, string sql)
    {
        using var c = db.CreateCommand();
        c.CommandText = sql;
        return (T)Convert.ChangeType(c.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose() => _db.Dispose();

    public async ValueTask DisposeAsync() => await _db.DisposeAsync().ConfigureAwait(false);
}
