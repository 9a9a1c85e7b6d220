using System.Collections.Immutable;
using Sitrep.Attribution;
using Sitrep.Text;

namespace Sitrep.Tests.Attribution;

/// <summary>Speaker kinds, back-references, outlet credit, the model file and thread safety, on short texts.</summary>
public sealed class AttributionExtractorTests(AttributionFixture fixture) : IClassFixture<AttributionFixture>
{
    private ImmutableArray<Quote> Extract(string text) => fixture.Extractor.Extract(text);

    private Quote With(string text, string words) => Assert.Single(Extract(text), q => q.Text.Contains(words, StringComparison.Ordinal));

    [Theory]
    [InlineData("“We are ready to talk,” a source said.", "a source", SpeakerKind.Unnamed)]
    [InlineData("“We are ready to talk,” sources said.", "sources", SpeakerKind.Unnamed)]
    [InlineData("“We are ready to talk,” a senior diplomatic source said.", "a senior diplomatic source", SpeakerKind.Described)]
    [InlineData("“We are ready to talk,” one Baltic official said.", "one Baltic official", SpeakerKind.Described)]
    [InlineData("“We are ready to talk,” a Kremlin insider said.", "a Kremlin insider", SpeakerKind.Described)]
    [InlineData("“We are ready to talk,” NATO spokespersons said.", "NATO spokespersons", SpeakerKind.Collective)]
    [InlineData("“We are ready to talk,” the alliance leaders said.", "the alliance leaders", SpeakerKind.Collective)]
    [InlineData("“We are ready to talk,” Mark Rutte said.", "Mark Rutte", SpeakerKind.Named)]
    public void SpeakerKinds(string text, string speaker, SpeakerKind kind)
    {
        var q = With(text, "We are ready to talk");
        Assert.True(q.Direct);
        Assert.Equal(speaker, q.Speaker.Text);
        Assert.Equal(kind, q.Speaker.Kind);
    }

    [Fact]
    public void NamedSpeakersAreLinkedThroughTheKnowledgeBaseWithoutEntities()
    {
        var q = With("“We are ready to talk,” Mark Rutte said.", "We are ready");
        Assert.Equal(fixture.Extractor.Knowledge!.Entities.Single(e => e.Name == "Mark Rutte").Id, q.Speaker.KbId);
    }

    [Fact]
    public void AnotherOneIsANewSpeakerOfTheSameKind()
    {
        var quotes = Extract("“The talks are on hold,” a source said. “We don’t talk about it,” another one said.");
        var second = Assert.Single(quotes, q => q.Text.Contains("We don’t talk", StringComparison.Ordinal));
        Assert.Equal("another one", second.Speaker.Text);
        Assert.Equal(SpeakerKind.Unnamed, second.Speaker.Kind);
    }

    [Fact]
    public void TheOfficialPointsBackToTheEarlierOfficial()
    {
        var text = "“The strategy must change,” a senior U.S. government official told reporters on Friday. " +
                   "Ministers meet next week. “It is time for a new approach,” the official said.";
        var quotes = Extract(text);
        var first = Assert.Single(quotes, q => q.Text.Contains("The strategy must change", StringComparison.Ordinal));
        var second = Assert.Single(quotes, q => q.Text.Contains("It is time", StringComparison.Ordinal));
        Assert.Equal("a senior U.S. government official", second.Speaker.Text);
        Assert.Equal(first.Speaker.Start, second.Speaker.Start);
        Assert.True(second.Speaker.Resolved);
        Assert.Equal(SpeakerKind.Described, second.Speaker.Kind);
    }

    [Fact]
    public void TheyAddedPointsBackToAnAnonymousSpeaker()
    {
        var text = "\"The talks are ongoing,\" a senior US official said. \"All allies agree that the war must stop,\" they added.";
        var second = With(text, "All allies agree");
        Assert.Equal("a senior US official", second.Speaker.Text);
        Assert.Equal(SpeakerKind.Described, second.Speaker.Kind);
        Assert.Equal("they", second.Speaker.Mention is { } m ? text[m.Start..m.End] : null);
    }

    [Fact]
    public void OutletsThatObtainedAStatementAreCredited()
    {
        var q = With("European diplomats told Reuters that NATO members are exploring a new operation.", "NATO members are exploring");
        Assert.Equal("Reuters", q.OutletCredit?.Name);
        Assert.Equal("European diplomats", q.Speaker.Text);
        // An outlet named as the source is the speaker, not a credit.
        var own = Extract("Reuters reported that the talks had stalled.");
        Assert.All(own, x => Assert.Null(x.OutletCredit));
    }

    [Fact]
    public void ScareQuotesAloneAreNotStatements()
    {
        var quotes = Extract("The alliance keeps the “Founding Act” alive. Critics call it a “relic” of another era.");
        Assert.DoesNotContain(quotes, q => q.Direct);
        Assert.DoesNotContain(quotes, q => q.Verbatim.Any());
    }

    [Fact]
    public void EmptyInputGivesNothing()
    {
        Assert.Empty(fixture.Extractor.Extract(""));
        Assert.Empty(fixture.Extractor.Extract("x", [(0, 1)], [], [], []));
    }

    [Fact]
    public void ModelRoundTripsThroughItsFile()
    {
        using var dir = new TempDir();
        var path = dir.File("m.bin");
        fixture.Model.Save(path);
        var copy = AttributionModel.Load(path);
        Assert.Equal(fixture.Model.Description, copy.Description);
        var text = File.ReadAllText(Directory.GetFiles(TestPaths.Seeds).Order().First());
        var a = fixture.Extractor.Extract(text);
        var b = new AttributionExtractor(fixture.Extractor.Knowledge, copy).Extract(text);
        Assert.Equal(a.Select(q => (q.Start, q.End, q.Speaker.Text)), b.Select(q => (q.Start, q.End, q.Speaker.Text)));
    }

    [Fact]
    public void AFileThatIsNotAModelIsRefusedWithItsPath()
    {
        using var dir = new TempDir();
        var path = dir.File("bad.bin");
        File.WriteAllText(path, "not a model");
        var e = Assert.Throws<InvalidDataException>(() => AttributionModel.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void AModelTrainedWithOtherFeaturesIsRefused()
    {
        using var dir = new TempDir();
        var path = dir.File("m.bin");
        fixture.Model.Save(path);
        // Flip one bit of the stored feature fingerprint (right after magic, format version and description).
        byte[] raw;
        using (var z = new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress))
        using (var ms = new MemoryStream())
        {
            z.CopyTo(ms);
            raw = ms.ToArray();
        }
        int descriptionBytes = System.Text.Encoding.UTF8.GetByteCount(fixture.Model.Description);
        int prefix = descriptionBytes < 128 ? 1 : descriptionBytes < 16384 ? 2 : 3;
        raw[8 + prefix + descriptionBytes] ^= 1;
        using (var z = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest))
            z.Write(raw);
        var e = Assert.Throws<InvalidDataException>(() => AttributionModel.Load(path));
        Assert.Contains("retrain", e.Message);
    }

    [Fact]
    public void TheDefaultModelIsFoundFromTheProgramFolder()
    {
        var path = AttributionModel.FindDefault();
        Assert.NotNull(path);
        Assert.True(new FileInfo(path!).Length < 25 * 1024 * 1024);
    }

    [Fact]
    public void ConcurrentCallsGiveTheSameResults()
    {
        var texts = Directory.GetFiles(TestPaths.Seeds).Order().Select(File.ReadAllText).ToList();
        var sequential = texts.Select(t => fixture.Extractor.Extract(t)).ToList();
        var parallel = new ImmutableArray<Quote>[texts.Count * 4];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = fixture.Extractor.Extract(texts[i % texts.Count]));
        for (int i = 0; i < parallel.Length; i++)
            Assert.Equal(sequential[i % texts.Count].Select(q => (q.Start, q.End, q.Speaker.Text, q.Statement)), parallel[i].Select(q => (q.Start, q.End, q.Speaker.Text, q.Statement)));
    }

    [Fact]
    public void ArbitraryTextNeverBreaksIt()
    {
        string[] parts = ["“", "”", "\"", "'", "‘", "’", " said", " told Reuters", " he", " they added", " a source", ", ", ". ", ": ",
            "\n", "\n\n", " The official", " According to", " NATO", " “We", " know", " that", " another one", "…", "—", " it’s", " allies’"];
        var rng = new Random(7);
        for (int n = 0; n < 300; n++)
        {
            var sb = new System.Text.StringBuilder();
            int len = rng.Next(0, 80);
            for (int k = 0; k < len; k++) sb.Append(parts[rng.Next(parts.Length)]);
            var text = sb.ToString();
            var quotes = fixture.Extractor.Extract(text);
            foreach (var q in quotes)
            {
                Assert.InRange(q.Start, 0, text.Length);
                Assert.InRange(q.End, q.Start, text.Length);
                Assert.Equal(text[q.Start..q.End], q.Text);
                if (!q.Speaker.IsNobody) Assert.Equal(text[q.Speaker.Start..q.Speaker.End], q.Speaker.Text);
            }
        }
    }

    [Fact]
    public void TokensMayComeFromSeveralPieces()
    {
        // A subheading between two paragraphs: a quotation does not run across pieces.
        const string text = "“We are ready to talk,” a source said.\nThe Road Ahead\n“Nothing is agreed yet,” another source said.";
        var ranges = new List<(int, int)>();
        var tokens = new List<Token>();
        var sentences = new List<SentenceSpan>();
        int start = 0;
        foreach (var line in text.Split('\n'))
        {
            var t = new List<Token>();
            var s = new List<SentenceSpan>();
            Tokenizer.Tokenize(text, start, start + line.Length, t);
            SentenceSplitter.Split(text, t, s);
            foreach (var x in s) sentences.Add(x with { FirstToken = x.FirstToken + tokens.Count });
            tokens.AddRange(t);
            ranges.Add((start, start + line.Length));
            start += line.Length + 1;
        }
        var quotes = fixture.Extractor.Extract(text, ranges, tokens, sentences, []);
        Assert.Contains(quotes, q => q.Text.Contains("We are ready", StringComparison.Ordinal) && q.Speaker.Text == "a source");
        Assert.Contains(quotes, q => q.Text.Contains("Nothing is agreed", StringComparison.Ordinal) && q.Speaker.Text == "another source");
        Assert.DoesNotContain(quotes, q => q.Text.Contains("Road Ahead", StringComparison.Ordinal));
    }
}
