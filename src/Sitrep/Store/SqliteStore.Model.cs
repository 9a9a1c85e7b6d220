using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Sitrep.Ingest.Dedup;
using Sitrep.Stories;

namespace Sitrep.Store;

/// <summary>An article's copy links: the earlier article it repeats (exactly or nearly), the first copy, and any wire credit.</summary>
/// <param name="DuplicateOf">The earlier article it repeats, or null.</param>
/// <param name="Origin">The first copy (itself when it is no copy).</param>
/// <param name="OriginKey">What independence is counted by: the first copy's outlet, the wire agency, or the document.</param>
public sealed record CopyLink(string? DuplicateOf, string Origin, DuplicateKind? Kind, double? Similarity, string? WireAgency, string OriginKey);

/// <summary>One of a story's knowledge-base actors and in how many of its articles it appears.</summary>
public sealed record StoryActor(string Key, string Name, int Articles);

/// <summary>A possible subject of a story for threads: an actor and its weighted mentions (headline and dek count twice).</summary>
public sealed record StorySubject(string Key, string Name, int Mentions);

/// <summary>A story's row: title, size, dates (the likeliest dates of its articles, inclusive), actors and subjects.</summary>
public sealed record StoryRow(string Id, string Title, int Articles, DateOnly? From, DateOnly? To, int Claims,
    IReadOnlyList<StoryActor> Actors, IReadOnlyList<StorySubject> Subjects)
{
    /// <summary>The article the title was taken from (what a later, earlier-dated article is compared with).</summary>
    public StoryTitleSource? TitleFrom { get; init; }
}

/// <summary>Where a story's title comes from: an article (by its sort keys) and what of it (0 headline, 1 dek, 2 opening or label).</summary>
public sealed record StoryTitleSource(string ArticleId, DateOnly? Date, string Label, int Kind);

/// <summary>An article as a story lists it: where it is stored, its label, headline, outlet and likeliest date.</summary>
public sealed record StoryMember(string ArticleId, string StoryId, string DocumentId, long Arrival, DateOnly? Date, string Label,
    string? Title, string? Outlet, string? Site, string? Url);

/// <summary>The one serializer of the model's JSON columns: typed records, written and read by the same contract.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Claim))]
[JsonSerializable(typeof(StoryData))]
[JsonSerializable(typeof(ThreadView))]
internal sealed partial class ModelJson : JsonSerializerContext;

/// <summary>The JSON part of a story's row.</summary>
internal sealed record StoryData(IReadOnlyList<StoryActor> Actors, IReadOnlyList<StorySubject> Subjects)
{
    public StoryTitleSource? TitleFrom { get; init; }
}

public sealed partial class SqliteStore
{
    /// <summary>Whether the store has the model's tables (schema v6 or later; a read-only v5 store has not).</summary>
    public bool HasModel => TableExists("model_pending");

    private bool TableExists(string name)
    {
        using var c = _db.CreateCommand();
        c.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $n";
        c.Parameters.AddWithValue("$n", name);
        return Convert.ToInt64(c.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>How many stored (or removed) articles the cross-source model has not taken in yet.</summary>
    public long PendingModelArticles() => HasModel ? Count("SELECT count(*) FROM model_pending") : Count("SELECT count(*) FROM articles");

    private long Count(string sql)
    {
        using var c = _db.CreateCommand();
        c.CommandText = sql;
        return Convert.ToInt64(c.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The articles waiting for the model: (article id, its document, or null when the article is gone).</summary>
    internal List<(string ArticleId, string? DocumentId)> PendingArticles(CancellationToken ct)
    {
        var result = new List<(string, string?)>();
        using var c = _db.CreateCommand();
        c.CommandText = "SELECT p.article_id, a.document_id FROM model_pending p LEFT JOIN articles a ON a.id = p.article_id ORDER BY p.article_id";
        using var r = c.ExecuteReader();
        while (r.Read())
        {
            ct.ThrowIfCancellationRequested();
            result.Add((r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)));
        }
        return result;
    }

    /// <summary>One stored document by id with its paths, or (null, reason) when it is gone or breaks the invariants.</summary>
    internal (StoredDocument? Document, string? Problem) ReadDocument(string id)
    {
        var files = new List<string>();
        using (var c = _db.CreateCommand())
        {
            c.CommandText = "SELECT path FROM files WHERE document_id = $id ORDER BY path";
            c.Parameters.AddWithValue("$id", id);
            using var r = c.ExecuteReader();
            while (r.Read()) files.Add(r.GetString(0));
        }
        if (files.Count == 0) files.Add(id);
        using var q = new DocumentQueries(_db);
        var (doc, problem) = q.Read(id, files);
        if (doc != null) problem ??= DocumentCheck.Problem(doc);
        return problem != null ? (null, problem) : (doc, null);
    }

    /// <summary>Streams the stored documents with these ids (in the order given), passing over unreadable ones (listed in <see cref="Skipped"/>).</summary>
    public async IAsyncEnumerable<StoredDocument> ReadDocumentsAsync(IEnumerable<string> ids, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var id in ids)
        {
            ct.ThrowIfCancellationRequested();
            var (doc, problem) = ReadDocument(id);
            if (doc != null) yield return doc;
            else Skip(id, problem ?? "unreadable");
            await Task.Yield();
        }
    }

    /// <summary>A saved state of the model (duplicate index, story clusterer), or null.</summary>
    internal byte[]? ModelState(string name, int version)
    {
        using var c = _db.CreateCommand();
        c.CommandText = "SELECT data FROM model_state WHERE name = $n AND version = $v";
        c.Parameters.AddWithValue("$n", name);
        c.Parameters.AddWithValue("$v", version);
        return c.ExecuteScalar() as byte[];
    }

    /// <summary>Begins the transaction in which the cross-source stage updates the model.</summary>
    internal ModelWriter BeginModel()
    {
        if (_readOnly) throw new StoreException(Path, "opened read-only; writes are refused");
        try { return new ModelWriter(_db, _db.BeginTransaction(deferred: false), Path); }
        catch (SqliteException e) { throw Translate(Path, e); }
    }

    // ------------------------------------------------------------------ reading the model

    private const string MemberColumns = "SELECT article_id, story_id, document_id, arrival, date, label, title, outlet, site, url FROM story_articles";

    private static List<StoryMember> ReadMembers(SqliteCommand c)
    {
        var result = new List<StoryMember>();
        using var r = c.ExecuteReader();
        while (r.Read())
            result.Add(new StoryMember(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), Day(r, 4), r.GetString(5), Str(r, 6), Str(r, 7), Str(r, 8), Str(r, 9)));
        return result;
    }

    private static string? Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static DateOnly? Day(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : DateOnly.ParseExact(r.GetString(i), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Stories, largest first (then latest, then id); <paramref name="limit"/> at most, or only the one <paramref name="id"/>.</summary>
    public List<StoryRow> ReadStories(int? limit = null, string? id = null)
    {
        var result = new List<StoryRow>();
        if (!HasModel) return result;
        using var c = _db.CreateCommand();
        c.CommandText = "SELECT id, title, articles, first_date, last_date, claims, data FROM stories"
            + (id != null ? " WHERE id = $id" : "") + " ORDER BY articles DESC, last_date DESC, id" + (limit != null ? " LIMIT $limit" : "");
        if (id != null) c.Parameters.AddWithValue("$id", id);
        if (limit != null) c.Parameters.AddWithValue("$limit", limit.Value);
        using var r = c.ExecuteReader();
        while (r.Read())
        {
            var data = JsonSerializer.Deserialize(r.GetString(6), ModelJson.Default.StoryData) ?? new StoryData([], []);
            result.Add(new StoryRow(r.GetString(0), r.GetString(1), r.GetInt32(2), Day(r, 3), Day(r, 4), r.GetInt32(5), data.Actors, data.Subjects) { TitleFrom = data.TitleFrom });
        }
        return result;
    }

    /// <summary>
    /// The model's result rows (copy links, membership, stories, claims with their sources, threads), sorted, without
    /// what records the path taken to them (arrival numbers, merge history, saved states): what two stores that should
    /// hold the same model are compared by.
    /// </summary>
    public IEnumerable<string> DumpModel()
    {
        foreach (var (from, columns, order) in new[]
                 {
                     ("copies", "*", "article_id"),
                     ("story_articles", "article_id, story_id, document_id, date, label, title, outlet, site, url", "article_id"),
                     // Claims by story and rank, not by their number (a story's claims are numbered as they are stored).
                     ("stories", "*", "id"), ("claims", "story_id, id, status, origins, data, period, rank", "story_id, rank, id"),
                     ("claim_sources cs JOIN claims c ON c.story_id = cs.story_id AND c.ord = cs.claim_ord", "cs.story_id, c.id, cs.article_id, cs.start, cs.\"end\", cs.role",
                      "cs.story_id, c.id, cs.article_id, cs.start, cs.role"),
                     ("threads", "*", "ord"),
                 })
        {
            using var c = _db.CreateCommand();
            c.CommandText = $"SELECT {columns} FROM {from} ORDER BY {order}";
            var table = from.Split(' ')[0];
            using var r = c.ExecuteReader();
            while (r.Read())
            {
                var cells = new string[r.FieldCount];
                for (int i = 0; i < r.FieldCount; i++)
                    cells[i] = r.IsDBNull(i) ? "∅" : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture)!;
                yield return table + "|" + string.Join("|", cells);
            }
        }
    }

    /// <summary>Each article's story in the model.</summary>
    public Dictionary<string, string> StoryMembership()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!HasModel) return result;
        using var c = _db.CreateCommand();
        c.CommandText = "SELECT article_id, story_id FROM story_articles";
        using var r = c.ExecuteReader();
        while (r.Read()) result[r.GetString(0)] = r.GetString(1);
        return result;
    }

    /// <summary>The arrival number of the last article the model took in (0 for none).</summary>
    internal long MaxArrival() => HasModel ? Count("SELECT coalesce(max(arrival), 0) FROM story_articles") : 0;

    /// <summary>How many claims each of these stories holds of each status (without reading the claims).</summary>
    public Dictionary<string, Dictionary<ClaimStatus, int>> ClaimStatusCounts(IReadOnlyCollection<string> storyIds)
    {
        var result = new Dictionary<string, Dictionary<ClaimStatus, int>>(StringComparer.Ordinal);
        if (!HasModel) return result;
        using var c = _db.CreateCommand();
        c.CommandText = "SELECT status, count(*) FROM claims INDEXED BY claims_story_status WHERE story_id = $s GROUP BY status";
        var p = c.Parameters.Add(new SqliteParameter("$s", ""));
        foreach (var id in storyIds)
        {
            p.Value = id;
            var counts = new Dictionary<ClaimStatus, int>();
            using var r = c.ExecuteReader();
            while (r.Read())
                if (ClaimStatuses.TryParse(r.GetString(0), out var st)) counts[st] = r.GetInt32(1);
            result[id] = counts;
        }
        return result;
    }

    /// <summary>How many claims the model holds of each status.</summary>
    public Dictionary<ClaimStatus, long> ClaimCounts()
    {
        var result = new Dictionary<ClaimStatus, long>();
        if (!HasModel) return result;
        using var c = _db.CreateCommand();
        c.CommandText = "SELECT status, count(*) FROM claims GROUP BY status";
        using var r = c.ExecuteReader();
        while (r.Read())
            if (ClaimStatuses.TryParse(r.GetString(0), out var st)) result[st] = r.GetInt64(1);
        return result;
    }

    public long StoryCount() => HasModel ? Count("SELECT count(*) FROM stories") : 0;
    public long ModelArticleCount() => HasModel ? Count("SELECT count(*) FROM story_articles") : 0;

    /// <summary>A story's articles, earliest first (likeliest date, undated last, then label).</summary>
    public List<StoryMember> ReadStoryMembers(string storyId)
    {
        var result = new List<StoryMember>();
        if (!HasModel) return result;
        using var c = _db.CreateCommand();
        c.CommandText = MemberColumns + " WHERE story_id = $s";
        c.Parameters.AddWithValue("$s", storyId);
        result.AddRange(ReadMembers(c));
        return result.OrderBy(m => m.Date ?? DateOnly.MaxValue).ThenBy(m => m.Label, StringComparer.Ordinal).ThenBy(m => m.ArticleId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Claims in reading order (by story rank, then the story's own order), filtered by status and story.</summary>
    public List<Claim> ReadClaims(ClaimStatus? status = null, string? storyId = null, int? limit = null)
    {
        var result = new List<Claim>();
        if (!HasModel) return result;
        using var c = _db.CreateCommand();
        var where = new List<string>();
        if (status != null) { where.Add("c.status = $st"); c.Parameters.AddWithValue("$st", ClaimStatuses.Name(status.Value)); }
        if (storyId != null) { where.Add("c.story_id = $s"); c.Parameters.AddWithValue("$s", storyId); }
        // The order is found on the small columns first; only the claims kept are read whole (their JSON is large). Across
        // stories, the stories are walked in rank order and each one's claims of the status read from a covering index,
        // so a limited listing stops early instead of sorting every claim of the status.
        string from = storyId != null ? "claims c JOIN stories s ON s.id = c.story_id"
            : "stories s INDEXED BY stories_rank CROSS JOIN claims c INDEXED BY claims_story_status ON c.story_id = s.id";
        c.CommandText = $"SELECT c.data, c.story_id FROM (SELECT c.story_id, c.ord, c.rank, s.articles, s.last_date FROM {from}"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + " ORDER BY s.articles DESC, s.last_date DESC, s.id, c.rank, c.ord" + (limit != null ? " LIMIT $limit" : "")
            + ") k JOIN claims c ON c.story_id = k.story_id AND c.ord = k.ord ORDER BY k.articles DESC, k.last_date DESC, k.story_id, k.rank, k.ord";
        if (limit != null) c.Parameters.AddWithValue("$limit", limit.Value);
        using var r = c.ExecuteReader();
        while (r.Read())
            if (JsonSerializer.Deserialize(r.GetString(0), ModelJson.Default.Claim) is { } claim)
                result.Add(claim with { StoryId = r.GetString(1) });
        return result;
    }

    /// <summary>Copy links of these articles (all stored links when null).</summary>
    public Dictionary<string, CopyLink> ReadCopyLinks(IReadOnlyCollection<string>? articleIds = null)
    {
        var result = new Dictionary<string, CopyLink>(StringComparer.Ordinal);
        if (!HasModel) return result;
        using var c = _db.CreateCommand();
        c.CommandText = "SELECT article_id, duplicate_of, origin, kind, similarity, wire, origin_key FROM copies" + (articleIds != null ? " WHERE article_id = $a" : "");
        var p = c.Parameters.Add(new SqliteParameter("$a", ""));
        IEnumerable<string?> keys = articleIds ?? [null];
        foreach (var key in keys)
        {
            if (key != null) p.Value = key;
            using var r = c.ExecuteReader();
            while (r.Read())
                result[r.GetString(0)] = new CopyLink(Str(r, 1), r.GetString(2),
                    r.IsDBNull(3) ? null : Enum.Parse<DuplicateKind>(r.GetString(3), ignoreCase: true),
                    r.IsDBNull(4) ? null : r.GetDouble(4), Str(r, 5), r.GetString(6));
        }
        return result;
    }

    public List<ThreadView> ReadThreads()
    {
        var result = new List<ThreadView>();
        if (!HasModel) return result;
        using var c = _db.CreateCommand();
        c.CommandText = "SELECT data FROM threads ORDER BY ord";
        using var r = c.ExecuteReader();
        while (r.Read())
            if (JsonSerializer.Deserialize(r.GetString(0), ModelJson.Default.ThreadView) is { } t) result.Add(t);
        return result;
    }

    /// <summary>The statements of one model update, in one transaction: commit or dispose (which rolls back).</summary>
    internal sealed class ModelWriter : IDisposable
    {
        private readonly SqliteConnection _db;
        private readonly SqliteTransaction _tx;
        private readonly string _path;
        private readonly Dictionary<string, SqliteCommand> _cmds = new(StringComparer.Ordinal);
        private bool _done;

        public ModelWriter(SqliteConnection db, SqliteTransaction tx, string path) { _db = db; _tx = tx; _path = path; }

        private SqliteCommand Cmd(string sql)
        {
            if (_cmds.TryGetValue(sql, out var c)) return c;
            c = _db.CreateCommand();
            c.Transaction = _tx;
            c.CommandText = sql;
            _cmds[sql] = c;
            return c;
        }

        private int Run(string sql, params (string Name, object? Value)[] args)
        {
            var c = Cmd(sql);
            c.Parameters.Clear();
            foreach (var (n, v) in args) c.Parameters.AddWithValue(n, v ?? DBNull.Value);
            return c.ExecuteNonQuery();
        }

        private object? Scalar(string sql, params (string Name, object? Value)[] args)
        {
            var c = Cmd(sql);
            c.Parameters.Clear();
            foreach (var (n, v) in args) c.Parameters.AddWithValue(n, v ?? DBNull.Value);
            return c.ExecuteScalar();
        }

        public void SaveState(string name, int version, byte[] data) =>
            Run("INSERT INTO model_state (name, version, data) VALUES ($n, $v, $d) ON CONFLICT(name) DO UPDATE SET version = excluded.version, data = excluded.data",
                ("$n", name), ("$v", version), ("$d", data));

        public void Done(string articleId) => Run("DELETE FROM model_pending WHERE article_id = $a", ("$a", articleId));

        /// <summary>Empties the model and marks every stored article as waiting for it (for a rebuild).</summary>
        public void Clear()
        {
            foreach (var t in new[] { "model_state", "copies", "story_articles", "story_merges", "stories", "claims", "claim_sources", "threads", "closed_stories", "claim_digests", "model_pending" })
                Run("DELETE FROM " + t);
            Run("INSERT INTO model_pending (article_id) SELECT id FROM articles");
        }

        public string? StoryOf(string articleId) => Scalar("SELECT story_id FROM story_articles WHERE article_id = $a", ("$a", articleId)) as string;

        public CopyLink? CopyOf(string articleId)
        {
            var c = Cmd("SELECT duplicate_of, origin, kind, similarity, wire, origin_key FROM copies WHERE article_id = $a");
            c.Parameters.Clear();
            c.Parameters.AddWithValue("$a", articleId);
            using var r = c.ExecuteReader();
            if (!r.Read()) return null;
            return new CopyLink(Str(r, 0), r.GetString(1), r.IsDBNull(2) ? null : Enum.Parse<DuplicateKind>(r.GetString(2), ignoreCase: true),
                r.IsDBNull(3) ? null : r.GetDouble(3), Str(r, 4), r.GetString(5));
        }

        public DateOnly? CopyDate(string articleId) => Scalar("SELECT date FROM copies WHERE article_id = $a", ("$a", articleId)) is string s
            ? DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

        public void SetCopy(string articleId, CopyLink link, DateOnly? date) =>
            Run("INSERT INTO copies (article_id, duplicate_of, origin, kind, similarity, wire, origin_key, date) VALUES ($a, $d, $o, $k, $s, $w, $ok, $dt) "
                + "ON CONFLICT(article_id) DO UPDATE SET duplicate_of = excluded.duplicate_of, origin = excluded.origin, kind = excluded.kind, "
                + "similarity = excluded.similarity, wire = excluded.wire, origin_key = excluded.origin_key, date = excluded.date",
                ("$a", articleId), ("$d", link.DuplicateOf), ("$o", link.Origin), ("$k", link.Kind?.ToString().ToLowerInvariant()),
                ("$s", link.Similarity), ("$w", link.WireAgency), ("$ok", link.OriginKey), ("$dt", Day(date)));

        /// <summary>The articles whose first copy is <paramref name="origin"/>.</summary>
        public List<string> CopiesOf(string origin)
        {
            var c = Cmd("SELECT article_id FROM copies WHERE origin = $o ORDER BY article_id");
            c.Parameters.Clear();
            c.Parameters.AddWithValue("$o", origin);
            var result = new List<string>();
            using var r = c.ExecuteReader();
            while (r.Read()) result.Add(r.GetString(0));
            return result;
        }

        public void SetOrigin(string articleId, string origin, string originKey) =>
            Run("UPDATE copies SET origin = $o, origin_key = $k WHERE article_id = $a", ("$a", articleId), ("$o", origin), ("$k", originKey));

        public void SetDuplicateOf(string articleId, string? duplicateOf, DuplicateKind? kind, double? similarity) =>
            Run("UPDATE copies SET duplicate_of = $d, kind = $k, similarity = $s WHERE article_id = $a",
                ("$a", articleId), ("$d", duplicateOf), ("$k", kind?.ToString().ToLowerInvariant()), ("$s", similarity));

        public void RemoveArticle(string articleId)
        {
            Run("DELETE FROM copies WHERE article_id = $a", ("$a", articleId));
            Run("DELETE FROM story_articles WHERE article_id = $a", ("$a", articleId));
            Run("DELETE FROM claim_digests WHERE article_id = $a", ("$a", articleId));
        }

        /// <summary>An article's claim digest (<see cref="Stories.ClaimDigest.ToBytes"/>), or null.</summary>
        public byte[]? Digest(string articleId) => Scalar("SELECT data FROM claim_digests WHERE article_id = $a", ("$a", articleId)) as byte[];

        public void SetDigest(string articleId, byte[] data) =>
            Run("INSERT INTO claim_digests (article_id, data) VALUES ($a, $d) ON CONFLICT(article_id) DO UPDATE SET data = excluded.data", ("$a", articleId), ("$d", data));

        public void SetMember(StoryMember m) =>
            Run("INSERT INTO story_articles (article_id, story_id, document_id, arrival, date, label, title, outlet, site, url) VALUES ($a, $s, $d, $n, $dt, $l, $t, $o, $si, $u) "
                + "ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id, document_id = excluded.document_id, date = excluded.date, "
                + "label = excluded.label, title = excluded.title, outlet = excluded.outlet, site = excluded.site, url = excluded.url",
                ("$a", m.ArticleId), ("$s", m.StoryId), ("$d", m.DocumentId), ("$n", m.Arrival), ("$dt", Day(m.Date)), ("$l", m.Label),
                ("$t", m.Title), ("$o", m.Outlet), ("$si", m.Site), ("$u", m.Url));

        public void MoveMember(string articleId, string storyId) =>
            Run("UPDATE story_articles SET story_id = $s WHERE article_id = $a", ("$a", articleId), ("$s", storyId));

        /// <summary>Moves every article of <paramref name="gone"/> into <paramref name="into"/> and records the merge.</summary>
        public void MergeStory(string gone, string into, long arrival)
        {
            Run("UPDATE story_articles SET story_id = $i WHERE story_id = $g", ("$g", gone), ("$i", into));
            Run("INSERT INTO story_merges (story_id, into_id, arrival) VALUES ($g, $i, $n) ON CONFLICT(story_id) DO UPDATE SET into_id = excluded.into_id, arrival = excluded.arrival",
                ("$g", gone), ("$i", into), ("$n", arrival));
            DeleteStory(gone);
        }

        public List<StoryMember> Members(string storyId)
        {
            var c = Cmd(MemberColumns + " WHERE story_id = $s");
            c.Parameters.Clear();
            c.Parameters.AddWithValue("$s", storyId);
            return ReadMembers(c);
        }

        public void DeleteStory(string storyId)
        {
            Run("DELETE FROM stories WHERE id = $s", ("$s", storyId));
            Run("DELETE FROM claims WHERE story_id = $s", ("$s", storyId));
            Run("DELETE FROM claim_sources WHERE story_id = $s", ("$s", storyId));
        }

        /// <summary>Replaces a story's row and all its claims (with their sources: every supporting and contradicting span).</summary>
        public void SetStory(StoryRow story, IReadOnlyList<(int Period, Claim Claim)> claims)
        {
            DeleteStory(story.Id);
            SetStoryRow(story with { Claims = claims.Count });
            InsertClaims(story.Id, 0, claims);
        }

        /// <summary>Writes a story's row (its claims stay as they are).</summary>
        public void SetStoryRow(StoryRow story) =>
            Run("INSERT INTO stories (id, title, articles, first_date, last_date, claims, data) VALUES ($id, $t, $n, $f, $l, $c, $d) "
                + "ON CONFLICT(id) DO UPDATE SET title = excluded.title, articles = excluded.articles, first_date = excluded.first_date, "
                + "last_date = excluded.last_date, claims = excluded.claims, data = excluded.data",
                ("$id", story.Id), ("$t", story.Title), ("$n", story.Articles), ("$f", Day(story.From)), ("$l", Day(story.To)), ("$c", story.Claims),
                ("$d", JsonSerializer.Serialize(new StoryData(story.Actors, story.Subjects) { TitleFrom = story.TitleFrom }, ModelJson.Default.StoryData)));

        /// <summary>A story's stored row, or null.</summary>
        public StoryRow? StoryRowOf(string storyId)
        {
            var c = Cmd("SELECT id, title, articles, first_date, last_date, claims, data FROM stories WHERE id = $id");
            c.Parameters.Clear();
            c.Parameters.AddWithValue("$id", storyId);
            using var r = c.ExecuteReader();
            if (!r.Read()) return null;
            var data = JsonSerializer.Deserialize(r.GetString(6), ModelJson.Default.StoryData) ?? new StoryData([], []);
            return new StoryRow(r.GetString(0), r.GetString(1), r.GetInt32(2), Day(r, 3), Day(r, 4), r.GetInt32(5), data.Actors, data.Subjects) { TitleFrom = data.TitleFrom };
        }

        /// <summary>Replaces a story's claims of one period; returns how many claims the story holds now.</summary>
        public int ReplacePeriodClaims(string storyId, int period, IReadOnlyList<Claim> claims)
        {
            Run("DELETE FROM claim_sources WHERE story_id = $s AND claim_ord IN (SELECT ord FROM claims WHERE story_id = $s AND period = $p)", ("$s", storyId), ("$p", period));
            Run("DELETE FROM claims WHERE story_id = $s AND period = $p", ("$s", storyId), ("$p", period));
            int next = Convert.ToInt32(Scalar("SELECT coalesce(max(ord), -1) + 1 FROM claims WHERE story_id = $s", ("$s", storyId)), CultureInfo.InvariantCulture);
            InsertClaims(storyId, next, claims.Select(c => (period, c)).ToList());
            return Convert.ToInt32(Scalar("SELECT count(*) FROM claims WHERE story_id = $s", ("$s", storyId)), CultureInfo.InvariantCulture);
        }

        private void InsertClaims(string storyId, int firstOrd, IReadOnlyList<(int Period, Claim Claim)> claims)
        {
            for (int i = 0; i < claims.Count; i++)
            {
                var claim = claims[i].Claim with { StoryId = null };
                int ord = firstOrd + i;
                Run("INSERT INTO claims (story_id, ord, id, status, origins, data, period, rank) VALUES ($s, $o, $id, $st, $n, $d, $p, $r)",
                    ("$s", storyId), ("$o", ord), ("$id", claim.Id), ("$st", ClaimStatuses.Name(claim.Status)), ("$n", claim.Origins),
                    ("$d", JsonSerializer.Serialize(claim, ModelJson.Default.Claim)), ("$p", claims[i].Period), ("$r", ClaimRank(claim)));
                foreach (var (m, role) in claim.Support.Select(m => (m, "support")).Concat(claim.Contradict.Select(x => (x.Mention, "contradict"))))
                    Run("INSERT OR IGNORE INTO claim_sources (story_id, claim_ord, article_id, start, \"end\", role) VALUES ($s, $o, $a, $st, $e, $r)",
                        ("$s", storyId), ("$o", ord), ("$a", m.ArticleId), ("$st", m.Start), ("$e", m.End), ("$r", role));
            }
        }

        /// <summary>
        /// A claim's place in its story as a sortable text: status (contradicted, corroborated, anonymous only, single
        /// source), more origins first, more support first, then its first support's article label and offset — the
        /// order <see cref="Stories.ClaimGrader"/> returns claims in.
        /// </summary>
        internal static string ClaimRank(Claim c)
        {
            int status = c.Status switch { ClaimStatus.Contradicted => 0, ClaimStatus.Corroborated => 1, ClaimStatus.AnonymousOnly => 2, _ => 3 };
            var first = c.Support[0];
            return string.Create(CultureInfo.InvariantCulture,
                $"{status}{999_999 - Math.Min(c.Origins, 999_999):D6}{999_999 - Math.Min(c.Support.Count, 999_999):D6}{first.ArticleLabel}\u0001{first.Start:D10}");
        }

        /// <summary>A story's articles of one claims period.</summary>
        public List<StoryMember> PeriodMembers(string storyId, int period)
        {
            var c = Cmd(MemberColumns + " WHERE story_id = $s AND period = $p");
            c.Parameters.Clear();
            c.Parameters.AddWithValue("$s", storyId);
            c.Parameters.AddWithValue("$p", period);
            return ReadMembers(c);
        }

        public int PeriodOf(string articleId) => Convert.ToInt32(Scalar("SELECT period FROM story_articles WHERE article_id = $a", ("$a", articleId)), CultureInfo.InvariantCulture);

        public void SetPeriod(string articleId, int period) => Run("UPDATE story_articles SET period = $p WHERE article_id = $a", ("$a", articleId), ("$p", period));

        /// <summary>
        /// Puts a story's new article in the story's last claims period, or in a new one when that holds
        /// <paramref name="size"/> articles: periods are cut in the order articles joined the story.
        /// </summary>
        public int Place(string articleId, string storyId, int size)
        {
            var last = Scalar("SELECT max(period) FROM story_articles WHERE story_id = $s AND article_id <> $a", ("$s", storyId), ("$a", articleId));
            if (last is null or DBNull) { SetPeriod(articleId, 0); return 0; }
            int lastPeriod = Convert.ToInt32(last, CultureInfo.InvariantCulture);
            int inLast = Convert.ToInt32(Scalar("SELECT count(*) FROM story_articles WHERE story_id = $s AND period = $p AND article_id <> $a",
                ("$s", storyId), ("$p", lastPeriod), ("$a", articleId)), CultureInfo.InvariantCulture);
            int period = inLast < size ? lastPeriod : lastPeriod + 1;
            SetPeriod(articleId, period);
            return period;
        }

        /// <summary>Model articles dated on or after <paramref name="from"/> with their knowledge-base actors (keys Q… and sitrep:…).</summary>
        public List<(string ArticleId, string DocumentId, string StoryId, int Period, DateOnly? Date, string Label, string Key)> ActorsFrom(DateOnly from)
        {
            var c = Cmd("""
                SELECT s.article_id, s.document_id, s.story_id, s.period, s.date, s.label, e.key FROM story_articles s
                JOIN entities e ON e.article_id = s.article_id
                WHERE s.date >= $f AND (e.key GLOB 'Q*' OR e.key GLOB 'sitrep:*') ORDER BY s.article_id
                """);
            c.Parameters.Clear();
            c.Parameters.AddWithValue("$f", Day(from));
            var result = new List<(string, string, string, int, DateOnly?, string, string)>();
            using var r = c.ExecuteReader();
            while (r.Read()) result.Add((r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), Day(r, 4), r.GetString(5), r.GetString(6)));
            return result;
        }

        /// <summary>A closed story's vectors, kept for articles that arrive late.</summary>
        public void KeepClosed(int story, DateOnly? first, DateOnly? last, byte[] data) =>
            Run("INSERT INTO closed_stories (story, first_date, last_date, data) VALUES ($s, $f, $l, $d) "
                + "ON CONFLICT(story) DO UPDATE SET first_date = excluded.first_date, last_date = excluded.last_date, data = excluded.data",
                ("$s", story), ("$f", Day(first)), ("$l", Day(last)), ("$d", data));

        public List<byte[]> ClosedBetween(DateOnly from, DateOnly to)
        {
            var c = Cmd("SELECT data FROM closed_stories WHERE last_date >= $f AND first_date <= $t ORDER BY story");
            c.Parameters.Clear();
            c.Parameters.AddWithValue("$f", Day(from));
            c.Parameters.AddWithValue("$t", Day(to));
            var result = new List<byte[]>();
            using var r = c.ExecuteReader();
            while (r.Read()) result.Add((byte[])r.GetValue(0));
            return result;
        }

        public void SetThreads(IReadOnlyList<ThreadView> threads)
        {
            Run("DELETE FROM threads");
            for (int i = 0; i < threads.Count; i++)
                Run("INSERT INTO threads (ord, id, data) VALUES ($o, $id, $d)", ("$o", i), ("$id", threads[i].Id), ("$d", JsonSerializer.Serialize(threads[i], ModelJson.Default.ThreadView)));
        }

        /// <summary>Every story's subjects (for threads), in story rank order.</summary>
        public List<(string Id, IReadOnlyList<StorySubject> Subjects)> AllSubjects()
        {
            var c = Cmd("SELECT id, data FROM stories ORDER BY articles DESC, last_date DESC, id");
            c.Parameters.Clear();
            var result = new List<(string, IReadOnlyList<StorySubject>)>();
            using var r = c.ExecuteReader();
            while (r.Read())
                result.Add((r.GetString(0), (JsonSerializer.Deserialize(r.GetString(1), ModelJson.Default.StoryData) ?? new StoryData([], [])).Subjects));
            return result;
        }

        public void Commit()
        {
            try { _tx.Commit(); _done = true; }
            catch (SqliteException e) { throw Translate(_path, e); }
        }

        public void Dispose()
        {
            foreach (var c in _cmds.Values) c.Dispose();
            if (!_done)
                try { _tx.Rollback(); } catch (Exception e) when (e is SqliteException or InvalidOperationException) { }
            _tx.Dispose();
        }
    }
}
