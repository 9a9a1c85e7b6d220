using System.Globalization;

namespace Sitrep.Stories;

/// <summary>The stance of an article body towards a claim, as in the Fake News Challenge (FNC-1).</summary>
public enum StanceLabel : byte
{
    Agree = 0,
    Disagree = 1,
    Discuss = 2,
    Unrelated = 3,
}

/// <summary>Names of <see cref="StanceLabel"/> as FNC-1 writes them.</summary>
public static class StanceLabels
{
    public static readonly IReadOnlyList<StanceLabel> All = [StanceLabel.Agree, StanceLabel.Disagree, StanceLabel.Discuss, StanceLabel.Unrelated];

    public static string Name(StanceLabel label) => label switch
    {
        StanceLabel.Agree => "agree",
        StanceLabel.Disagree => "disagree",
        StanceLabel.Discuss => "discuss",
        _ => "unrelated",
    };

    public static bool TryParse(string s, out StanceLabel label)
    {
        switch (s.Trim().ToLowerInvariant())
        {
            case "agree": label = StanceLabel.Agree; return true;
            case "disagree": label = StanceLabel.Disagree; return true;
            case "discuss": label = StanceLabel.Discuss; return true;
            case "unrelated": label = StanceLabel.Unrelated; return true;
            default: label = StanceLabel.Unrelated; return false;
        }
    }
}

/// <summary>One article body of FNC-1.</summary>
public sealed record FncBody(int Id, string Text);

/// <summary>One headline–body pair of FNC-1 with its gold stance.</summary>
public sealed record FncPair(string Headline, int BodyId, StanceLabel Stance);

/// <summary>Input data that cannot be used; the message is one line naming the file and the reason.</summary>
public sealed class FncDataException(string message) : Exception(message);

/// <summary>FNC-1 data: <c>train_bodies.csv</c> (<c>Body ID,articleBody</c>) and <c>train_stances.csv</c>
/// (<c>Headline,Body ID,Stance</c>), or a held-out folder of the same layout with <c>test_</c> (or the competition's
/// <c>competition_test_</c>) in place of <c>train_</c>.</summary>
public sealed class FncDataset
{
    public IReadOnlyList<FncBody> Bodies { get; }
    public IReadOnlyList<FncPair> Pairs { get; }
    private readonly Dictionary<int, FncBody> byId;

    public FncDataset(IReadOnlyList<FncBody> bodies, IReadOnlyList<FncPair> pairs)
    {
        Bodies = bodies;
        Pairs = pairs;
        byId = new Dictionary<int, FncBody>(bodies.Count);
        foreach (var b in bodies) byId[b.Id] = b;
    }

    /// <summary>True when the data came from held-out test files (<c>test_*.csv</c>): evaluated whole, never split or tuned on.</summary>
    public bool IsTest { get; init; }

    public FncBody Body(int id) => byId[id];

    public bool HasBody(int id) => byId.ContainsKey(id);

    /// <summary>The file-name prefixes of FNC-1 folders, training first.</summary>
    public static IReadOnlyList<string> Prefixes { get; } = ["train_", "test_", "competition_test_"];

    /// <summary>Loads a folder holding <c>train_bodies.csv</c> and <c>train_stances.csv</c>, or the same with a test
    /// prefix (<see cref="Prefixes"/>; the first whose bodies file exists is read).</summary>
    /// <exception cref="FncDataException">A file is missing or malformed (message names the file and the reason).</exception>
    public static FncDataset Load(string dir)
    {
        if (!Directory.Exists(dir)) throw new FncDataException($"{dir}: no such folder");
        var prefix = Prefixes.FirstOrDefault(p => File.Exists(Path.Combine(dir, p + "bodies.csv")))
            ?? throw new FncDataException($"{Path.Combine(dir, "train_bodies.csv")}: no such file (nor test_bodies.csv)");
        var data = Load(dir, prefix + "bodies.csv", prefix + "stances.csv");
        return prefix == "train_" ? data : new FncDataset(data.Bodies, data.Pairs) { IsTest = true };
    }

    /// <summary>Loads the named bodies and stances files from a folder.</summary>
    /// <exception cref="FncDataException">A file is missing or malformed (message names the file and the reason).</exception>
    public static FncDataset Load(string dir, string bodiesFile, string stancesFile)
    {
        if (!Directory.Exists(dir)) throw new FncDataException($"{dir}: no such folder");
        string bodiesPath = Path.Combine(dir, bodiesFile), stancesPath = Path.Combine(dir, stancesFile);
        var bodies = new List<FncBody>();
        var seen = new HashSet<int>();
        foreach (var (rec, n) in Records(bodiesPath, ["Body ID", "articleBody"]))
        {
            if (rec.Length != 2) throw new FncDataException($"{bodiesPath}: record {n}: expected 2 fields, found {rec.Length}");
            int id = ParseId(rec[0], bodiesPath, n);
            if (!seen.Add(id)) throw new FncDataException($"{bodiesPath}: record {n}: duplicate Body ID {id}");
            bodies.Add(new FncBody(id, rec[1]));
        }
        var pairs = new List<FncPair>();
        foreach (var (rec, n) in Records(stancesPath, ["Headline", "Body ID", "Stance"]))
        {
            if (rec.Length != 3) throw new FncDataException($"{stancesPath}: record {n}: expected 3 fields, found {rec.Length}");
            int id = ParseId(rec[1], stancesPath, n);
            if (!seen.Contains(id)) throw new FncDataException($"{stancesPath}: record {n}: Body ID {id} is not in {bodiesFile}");
            if (!StanceLabels.TryParse(rec[2], out var label)) throw new FncDataException($"{stancesPath}: record {n}: unknown stance '{rec[2]}'");
            pairs.Add(new FncPair(rec[0], id, label));
        }
        return new FncDataset(bodies, pairs);
    }

    private static int ParseId(string s, string path, int n) =>
        int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int id)
            ? id
            : throw new FncDataException($"{path}: record {n}: Body ID '{s}' is not a number");

    private static IEnumerable<(string[] Record, int Number)> Records(string path, string[] header)
    {
        if (!File.Exists(path)) throw new FncDataException($"{path}: no such file");
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        int n = 0;
        using var e = Wrap(CsvReader.Read(reader), path).GetEnumerator();
        if (!e.MoveNext()) throw new FncDataException($"{path}: empty file");
        var head = e.Current;
        if (head.Length != header.Length || !head.Select(h => h.Trim().TrimStart('\uFEFF')).SequenceEqual(header, StringComparer.OrdinalIgnoreCase))
            throw new FncDataException($"{path}: header is '{string.Join(",", head)}', expected '{string.Join(",", header)}'");
        while (e.MoveNext()) yield return (e.Current, ++n);
    }

    private static IEnumerable<string[]> Wrap(IEnumerable<string[]> records, string path)
    {
        using var e = records.GetEnumerator();
        while (true)
        {
            try
            {
                if (!e.MoveNext()) yield break;
            }
            catch (FormatException ex) { throw new FncDataException($"{path}: {ex.Message}"); }
            catch (IOException ex) { throw new FncDataException($"{path}: {ex.Message.ReplaceLineEndings(" ")}"); }
            yield return e.Current;
        }
    }

    /// <summary>
    /// Gold stories over the bodies: bodies related (agree / disagree / discuss) to the same headline belong to one
    /// story; stories are the connected components of the headline–body graph over related pairs. Bodies with no
    /// related pair are their own singleton story. Returns the story index of every body, in <see cref="Bodies"/> order.
    /// </summary>
    public int[] GoldStories()
    {
        var index = new Dictionary<int, int>(Bodies.Count);
        for (int i = 0; i < Bodies.Count; i++) index[Bodies[i].Id] = i;
        var parent = Enumerable.Range(0, Bodies.Count).ToArray();
        int Find(int x) { while (parent[x] != x) { parent[x] = parent[parent[x]]; x = parent[x]; } return x; }
        var firstOfHeadline = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in Pairs)
        {
            if (p.Stance == StanceLabel.Unrelated) continue;
            int b = index[p.BodyId];
            if (firstOfHeadline.TryGetValue(p.Headline, out int other)) { int ra = Find(b), rb = Find(other); if (ra != rb) parent[Math.Max(ra, rb)] = Math.Min(ra, rb); }
            else firstOfHeadline[p.Headline] = b;
        }
        var label = new int[Bodies.Count];
        var ids = new Dictionary<int, int>();
        for (int i = 0; i < Bodies.Count; i++)
        {
            int r = Find(i);
            if (!ids.TryGetValue(r, out int s)) ids[r] = s = ids.Count;
            label[i] = s;
        }
        return label;
    }

    /// <summary>True for bodies that have at least one related (agree / disagree / discuss) pair.</summary>
    public bool[] HasRelatedPair()
    {
        var related = new HashSet<int>(Pairs.Where(p => p.Stance != StanceLabel.Unrelated).Select(p => p.BodyId));
        return Bodies.Select(b => related.Contains(b.Id)).ToArray();
    }
}
