using System.Text;

namespace Sitrep.Stories;

/// <summary>
/// Stance of an article body towards a claim (agree / disagree / discuss / unrelated), trained on FNC-1 by
/// <see cref="StanceTrainer"/>. Two stages of gradient-boosted trees over the same dense features: related vs
/// unrelated, then agree / disagree / discuss for related pairs. Thread-safe for prediction.
/// </summary>
public sealed class StanceModel
{
    private const string Magic = "SITREP-STANCE";
    private const int Version = 1;

    private readonly StanceIdf idf;
    private readonly GradientBoostedTrees related;
    private readonly GradientBoostedTrees stance;

    internal StanceModel(StanceIdf idf, GradientBoostedTrees related, GradientBoostedTrees stance)
    {
        this.idf = idf;
        this.related = related;
        this.stance = stance;
    }

    internal StanceIdf Idf => idf;

    /// <summary>Stance of <paramref name="body"/> towards <paramref name="claim"/>, with probabilities indexed by
    /// <see cref="StanceLabel"/> (agree, disagree, discuss, unrelated).</summary>
    public (StanceLabel Label, float[] Probabilities) Predict(string claim, string body)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(body);
        return Predict(StanceText.Analyze(claim), StanceText.Analyze(body));
    }

    internal (StanceLabel Label, float[] Probabilities) Predict(StanceText claim, StanceText body) => Predict(StanceFeatures.Compute(claim, body, idf));

    internal (StanceLabel Label, float[] Probabilities) Predict(float[] features)
    {
        double pRelated = related.Predict(features)[1];
        var p3 = stance.Predict(features);
        var p = new float[4];
        for (int k = 0; k < 3; k++) p[k] = (float)(pRelated * p3[k]);
        p[3] = (float)(1 - pRelated);
        StanceLabel label;
        if (pRelated < 0.5) label = StanceLabel.Unrelated;
        else
        {
            int best = 0;
            for (int k = 1; k < 3; k++) if (p3[k] > p3[best]) best = k;
            label = (StanceLabel)best;
        }
        return (label, p);
    }

    /// <summary>Writes the model (deterministic bytes for the same model).</summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp";
        using (var s = File.Create(tmp))
        using (var w = new BinaryWriter(s, Encoding.UTF8))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(StanceFeatures.Count);
            w.Write(idf.Unseen);
            w.Write(idf.AverageBodyLength);
            w.Write(idf.Table.Count);
            foreach (var (t, v) in idf.Table) { w.Write(t); w.Write(v); }
            related.Write(w);
            stance.Write(w);
        }
        File.Move(tmp, full, overwrite: true);
    }

    /// <summary>Loads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a stance model of this version (message names the file).</exception>
    public static StanceModel Load(string path)
    {
        try
        {
            using var s = File.OpenRead(path);
            using var r = new BinaryReader(new BufferedStream(s, 1 << 16), Encoding.UTF8);
            if (r.ReadString() != Magic) throw new InvalidDataException("not a Sitrep stance model");
            int version = r.ReadInt32();
            if (version != Version) throw new InvalidDataException($"stance model version {version}, expected {Version}");
            int features = r.ReadInt32();
            if (features != StanceFeatures.Count) throw new InvalidDataException($"model has {features} features, this program computes {StanceFeatures.Count}");
            float unseen = r.ReadSingle(), avg = r.ReadSingle();
            int n = r.ReadInt32();
            if (n < 0 || n > 10_000_000) throw new InvalidDataException("bad vocabulary size");
            var table = new Dictionary<string, float>(n, StringComparer.Ordinal);
            for (int i = 0; i < n; i++) { string t = r.ReadString(); table[t] = r.ReadSingle(); }
            var rel = GradientBoostedTrees.Read(r);
            var st = GradientBoostedTrees.Read(r);
            if (rel.Classes != 2 || st.Classes != 3 || rel.Features != features || st.Features != features) throw new InvalidDataException("tree ensembles do not match the features");
            return new StanceModel(new StanceIdf(table, unseen, avg), rel, st);
        }
        catch (EndOfStreamException) { throw new InvalidDataException($"{path}: truncated stance model"); }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal)) { throw new InvalidDataException($"{path}: {e.Message}"); }
    }
}
