using Sitrep.Pipeline;
using Sitrep.Stories;

namespace Sitrep.Store;

/// <summary>
/// What the rest of Sitrep asks of a store: write analysed documents, read them back, and read the cross-source model
/// (stories, their articles, claims, copy links, threads) as queries. <see cref="SqliteStore"/> is the embedded
/// implementation; a server store (PostgreSQL) is to sit behind the same interface. Readers (`stories`, `claims`,
/// `export`, `brief`) use only this.
/// </summary>
public interface IStore : IAsyncDisposable
{
    /// <summary>Where the store is (a file path, a connection's name), for messages.</summary>
    string Path { get; }

    /// <summary>Stores documents (one transaction per checkpoint); unchanged ones are left as they are.</summary>
    Task<WriteSummary> WriteAsync(IAsyncEnumerable<AnalyzedDocument> documents, string pipeline = "", CancellationToken ct = default);

    /// <summary>Every stored document; documents that cannot be read are passed over and listed in <see cref="Skipped"/>.</summary>
    IAsyncEnumerable<StoredDocument> ReadDocumentsAsync(CancellationToken ct = default);

    /// <summary>The stored documents with these ids.</summary>
    IAsyncEnumerable<StoredDocument> ReadDocumentsAsync(IEnumerable<string> ids, CancellationToken ct = default);

    /// <summary>Documents reading passed over, each with a one-line reason.</summary>
    IReadOnlyList<(string Id, string Reason)> Skipped { get; }

    /// <summary>Articles stored (or removed) that the model has not taken in yet.</summary>
    long PendingModelArticles();

    /// <summary>Stories, largest first (then latest, then id): at most <paramref name="limit"/>, or only <paramref name="id"/>.</summary>
    List<StoryRow> ReadStories(int? limit = null, string? id = null);

    /// <summary>A story's articles, earliest first.</summary>
    List<StoryMember> ReadStoryMembers(string storyId);

    /// <summary>Claims in reading order (story rank, then the story's own order), by status and story.</summary>
    List<Claim> ReadClaims(ClaimStatus? status = null, string? storyId = null, int? limit = null);

    /// <summary>Copy links of these articles (all when null).</summary>
    Dictionary<string, CopyLink> ReadCopyLinks(IReadOnlyCollection<string>? articleIds = null);

    List<ThreadView> ReadThreads();

    /// <summary>How many claims each of these stories holds of each status (without reading the claims).</summary>
    Dictionary<string, Dictionary<ClaimStatus, int>> ClaimStatusCounts(IReadOnlyCollection<string> storyIds);

    long StoryCount();
    long ModelArticleCount();
    Dictionary<ClaimStatus, long> ClaimCounts();

    // brief
    /// <summary>The brief's candidates: the <paramref name="limit"/> largest and the <paramref name="limit"/> latest stories.</summary>
    List<BriefCandidate> BriefCandidates(int limit);
    /// <summary>A story's size, independent origins, and articles dated on or after <paramref name="recentFrom"/>.</summary>
    BriefStats BriefStats(string storyId, DateOnly? recentFrom);
    /// <summary>A story's outlets, most articles first (at most <paramref name="limit"/>), and how many it has in all.</summary>
    (List<BriefOutlet> Outlets, int Total) BriefOutlets(string storyId, int limit);
    /// <summary>A story's earliest articles (only titled ones when <paramref name="titled"/>), at most <paramref name="limit"/>.</summary>
    List<StoryMember> BriefMembers(string storyId, int limit, bool titled);
    /// <summary>An article's headline, dek and first body sentences (reads one document), or null.</summary>
    BriefLead? ReadLead(string articleId, int sentences);
    /// <summary>A story's claim counts by status.</summary>
    Dictionary<ClaimStatus, int> BriefClaimCounts(string storyId);
    /// <summary>The first <paramref name="limit"/> threads, largest first.</summary>
    List<ThreadView> ReadThreads(int limit);
}
