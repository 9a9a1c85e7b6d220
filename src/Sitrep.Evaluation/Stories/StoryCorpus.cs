using System.Text.Json;

namespace Sitrep.Stories;

/// <summary>One article of a story corpus: its id, gold story and topic, and the plain-text file the pipeline reads.</summary>
public sealed record StoryCorpusArticle(string Id, string Story, string Topic, string TextPath);

/// <summary>A story corpus folder is not usable (message: one line naming the input and the reason).</summary>
public sealed class StoryCorpusException(string message) : Exception(message);

/// <summary>
/// A folder of real articles with gold stories (<c>../shared/data/stories/ecbplus</c>): <c>articles.jsonl</c>, one
/// object per article with at least <c>id</c> and <c>story</c> (optional <c>topic</c>: the group of similar stories
/// it belongs to, used to split the corpus for cross-validation), and <c>txt/&lt;id&gt;.txt</c>, the article as plain text
/// (title line, blank line, body) — what a user would feed the pipeline. Other fields (title, date, url) are not read:
/// the pipeline finds what it finds in the text.
/// </summary>
public sealed record StoryCorpus(string Folder, IReadOnlyList<StoryCorpusArticle> Articles)
{
    /// <summary>True when the folder holds an <c>articles.jsonl</c>.</summary>
    public static bool Holds(string folder) => File.Exists(Path.Combine(folder, "articles.jsonl"));

    /// <summary>Reads <c>articles.jsonl</c> and checks that every article's text file exists.</summary>
    /// <exception cref="StoryCorpusException">A line is not a JSON object with string <c>id</c> and <c>story</c>, an id repeats, or a text file is missing.</exception>
    public static StoryCorpus Load(string folder)
    {
        var path = Path.Combine(folder, "articles.jsonl");
        if (!File.Exists(path)) throw new StoryCorpusException($"{folder}: no articles.jsonl");
        var list = new List<StoryCorpusArticle>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int n = 0;
        foreach (var line in File.ReadLines(path))
        {
            n++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            string? id, story, topic;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var o = doc.RootElement;
                if (o.ValueKind != JsonValueKind.Object) throw new StoryCorpusException($"{path}:{n}: not a JSON object");
                id = Text(o, "id");
                story = Text(o, "story");
                topic = Text(o, "topic");
            }
            catch (JsonException e)
            {
                throw new StoryCorpusException($"{path}:{n}: not JSON ({e.Message.ReplaceLineEndings(" ")})");
            }
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(story)) throw new StoryCorpusException($"{path}:{n}: needs string fields id and story");
            if (id.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || id.Contains("..", StringComparison.Ordinal))
                throw new StoryCorpusException($"{path}:{n}: id '{id}' cannot name a file");
            if (!seen.Add(id)) throw new StoryCorpusException($"{path}:{n}: id '{id}' repeats");
            var txt = Path.Combine(folder, "txt", id + ".txt");
            if (!File.Exists(txt)) throw new StoryCorpusException($"{txt}: missing (article '{id}' of {path}:{n})");
            list.Add(new StoryCorpusArticle(id, story, topic ?? story, Path.GetFullPath(txt)));
        }
        if (list.Count == 0) throw new StoryCorpusException($"{path}: no articles");
        return new StoryCorpus(folder, list);
    }

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    /// <summary>Gold story of each article as a dense int, in <see cref="Articles"/> order.</summary>
    public int[] GoldStories()
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        return Articles.Select(a => ids.TryGetValue(a.Story, out int k) ? k : ids[a.Story] = ids.Count).ToArray();
    }
}
