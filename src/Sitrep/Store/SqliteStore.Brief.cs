using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Sitrep.Stories;

namespace Sitrep.Store;

/// <summary>A story the brief may rank: its id, size and last likeliest date (read from the stories' rank index only).</summary>
public sealed record BriefCandidate(string Id, int Articles, DateOnly? LastDate);

/// <summary>What the brief ranks a story by: its articles, independent origins (wire copies and near duplicates count
/// once), and how many of its articles are dated on or after a given day.</summary>
public sealed record BriefStats(int Articles, int Sources, int Recent);

/// <summary>One outlet of a story: how many of the story's articles it ran, and of how many independent origins.</summary>
public sealed record BriefOutlet(string? Outlet, int Articles, int Origins);

/// <summary>An article's opening as the brief shows it: its headline, dek, and the first sentences of its body.</summary>
public sealed record BriefLead(string ArticleId, string? Title, string? Dek, IReadOnlyList<string> Sentences);

public sealed partial class SqliteStore
{
    /// <summary>
    /// Candidates for the brief: the <paramref name="limit"/> largest stories and the <paramref name="limit"/> latest
    /// (by last likeliest date), each read from the covering index <c>stories_rank</c> alone (no story row is read).
    /// </summary>
    public List<BriefCandidate> BriefCandidates(int limit)
    {
        var result = new List<BriefCandidate>();
        if (!HasModel) return result;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var order in new[] { "articles DESC, last_date DESC, id", "last_date IS NULL, last_date DESC, articles DESC, id" })
        {
            using var c = _db.CreateCommand();
            c.CommandText = $"SELECT id, articles, last_date FROM stories INDEXED BY stories_rank ORDER BY {order} LIMIT $n";
            c.Parameters.AddWithValue("$n", limit);
            using var r = c.ExecuteReader();
            while (r.Read())
                if (seen.Add(r.GetString(0))) result.Add(new BriefCandidate(r.GetString(0), r.GetInt32(1), Day(r, 2)));
        }
        return result;
    }

    /// <summary>A story's size, independent origins, and articles dated on or after <paramref name="recentFrom"/>.</summary>
    public BriefStats BriefStats(string storyId, DateOnly? recentFrom)
    {
        if (!HasModel) return new BriefStats(0, 0, 0);
        using var c = _db.CreateCommand();
        c.CommandText = "SELECT count(*), count(DISTINCT coalesce(c.origin_key, sa.article_id)), coalesce(sum(sa.date >= $r), 0) "
            + "FROM story_articles sa LEFT JOIN copies c ON c.article_id = sa.article_id WHERE sa.story_id = $s";
        c.Parameters.AddWithValue("$s", storyId);
        c.Parameters.AddWithValue("$r", (object?)Day(recentFrom) ?? "9999-12-31");
        using var r = c.ExecuteReader();
        return r.Read() ? new BriefStats(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2)) : new BriefStats(0, 0, 0);
    }

    /// <summary>A story's outlets, most articles first, at most <paramref name="limit"/>, and how many outlets it has in all.</summary>
    public (List<BriefOutlet> Outlets, int Total) BriefOutlets(string storyId, int limit)
    {
        var result = new List<BriefOutlet>();
        if (!HasModel) return (result, 0);
        using var c = _db.CreateCommand();
        c.CommandText = "SELECT sa.outlet, count(*), count(DISTINCT coalesce(c.origin_key, sa.article_id)) "
            + "FROM story_articles sa LEFT JOIN copies c ON c.article_id = sa.article_id WHERE sa.story_id = $s "
            + "GROUP BY sa.outlet ORDER BY count(*) DESC, sa.outlet IS NULL, sa.outlet";
        c.Parameters.AddWithValue("$s", storyId);
        int total = 0;
        using var r = c.ExecuteReader();
        while (r.Read())
        {
            total++;
            if (result.Count < limit) result.Add(new BriefOutlet(Str(r, 0), r.GetInt32(1), r.GetInt32(2)));
        }
        return (result, total);
    }

    /// <summary>A story's earliest articles (likeliest date, undated last, then label), only titled ones when <paramref name="titled"/>, at most <paramref name="limit"/>.</summary>
    public List<StoryMember> BriefMembers(string storyId, int limit, bool titled)
    {
        var result = new List<StoryMember>();
        if (!HasModel) return result;
        using var c = _db.CreateCommand();
        c.CommandText = "SELECT article_id, story_id, document_id, arrival, date, label, title, outlet, site, url FROM story_articles "
            + "WHERE story_id = $s" + (titled ? " AND title IS NOT NULL" : "") + " ORDER BY date IS NULL, date, label, article_id LIMIT $n";
        c.Parameters.AddWithValue("$s", storyId);
        c.Parameters.AddWithValue("$n", limit);
        using var r = c.ExecuteReader();
        while (r.Read())
            result.Add(new StoryMember(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), Day(r, 4), r.GetString(5), Str(r, 6), Str(r, 7), Str(r, 8), Str(r, 9)));
        return result;
    }

    /// <summary>
    /// An article's headline, dek and first <paramref name="sentences"/> body sentences (one stored document read), or
    /// null when the article is gone; an article whose offsets do not fit its text is listed in <see cref="Skipped"/>.
    /// </summary>
    public BriefLead? ReadLead(string articleId, int sentences)
    {
        using var c = _db.CreateCommand();
        c.CommandText = "SELECT a.title, a.dek, a.text_start, a.text_end, a.sentence_spans, d.text, a.document_id FROM articles a "
            + "JOIN documents d ON d.id = a.document_id WHERE a.id = $a";
        c.Parameters.AddWithValue("$a", articleId);
        try
        {
            using var r = c.ExecuteReader();
            if (!r.Read()) return null;
            string text = r.GetString(5);
            int start = r.GetInt32(2), end = r.GetInt32(3);
            var spans = DecodeSentences((byte[])r.GetValue(4));
            if (start < 0 || end > text.Length || start > end || spans.Any(s => s.Start < 0 || s.End > text.Length || s.Start > s.End))
            {
                Skip(r.GetString(6), $"article {articleId}: offsets outside the text ({text.Length} characters)");
                return null;
            }
            var list = spans.Where(s => s.Start >= start && s.End <= end).Take(sentences)
                .Select(s => text[s.Start..s.End].ReplaceLineEndings(" ").Trim()).Where(s => s.Length > 0).ToList();
            return new BriefLead(articleId, Str(r, 0), Str(r, 1), list);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 11 or 26)
        {
            Skip(articleId, "damaged rows: " + e.Message.Split('\n')[0]);
            return null;
        }
    }

    /// <summary>How many claims of each status the story holds, each counted on the status index.</summary>
    public Dictionary<ClaimStatus, int> BriefClaimCounts(string storyId)
    {
        var result = new Dictionary<ClaimStatus, int>();
        if (!HasModel) return result;
        using var c = _db.CreateCommand();
        c.CommandText = "SELECT count(*) FROM claims INDEXED BY claims_status WHERE status = $st AND story_id = $s";
        var st = c.Parameters.Add(new SqliteParameter("$st", ""));
        c.Parameters.AddWithValue("$s", storyId);
        foreach (var status in Enum.GetValues<ClaimStatus>())
        {
            st.Value = ClaimStatuses.Name(status);
            result[status] = Convert.ToInt32(c.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        return result;
    }

    /// <summary>The first <paramref name="limit"/> threads, largest first.</summary>
    public List<ThreadView> ReadThreads(int limit)
    {
        var result = new List<ThreadView>();
        if (!HasModel) return result;
        using var c = _db.CreateCommand();
        c.CommandText = "SELECT data FROM threads ORDER BY ord LIMIT $n";
        c.Parameters.AddWithValue("$n", limit);
        using var r = c.ExecuteReader();
        while (r.Read())
            if (JsonSerializer.Deserialize(r.GetString(0), ModelJson.Default.ThreadView) is { } t) result.Add(t);
        return result;
    }
}
