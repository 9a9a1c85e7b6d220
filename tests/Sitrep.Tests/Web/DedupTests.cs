using Sitrep.Ingest.Dedup;

namespace Sitrep.Tests.Web;

public sealed class DedupTests
{
    private static readonly string Wire = string.Join("\n\n",
    [
        "BRUSSELS (AP) — European Union energy ministers agreed early Wednesday on an emergency plan to cap the price of natural gas, ending months of wrangling over how to shield households from soaring bills.",
        "The cap, which will apply from February, is set at 180 euros per megawatt hour and will be triggered only if prices stay above that level for three consecutive days, officials said.",
        "Germany and the Netherlands had long resisted a cap, arguing that it could drive suppliers to sell their gas elsewhere and leave Europe short of fuel during the winter.",
        "\"This is a strong signal to the markets that Europe will not be held hostage,\" said Czech Industry Minister Jozef Sikela, who chaired the meeting in Brussels.",
        "Gas prices in Europe hit record highs in August after Russia cut supplies through the Nord Stream pipeline, pushing inflation across the bloc to double digits.",
        "The European Commission will review the mechanism every six months and can suspend it if it threatens the security of supply, according to the text of the agreement.",
        "Associated Press writer Samuel Petrequin contributed to this report.",
    ]);

    private static readonly string SameTopic = string.Join("\n\n",
    [
        "EU countries have finally struck a deal on a gas price ceiling after weeks of bitter negotiations between capitals that favoured intervention and those that feared it would backfire.",
        "The compromise puts the ceiling far below the level first proposed by the Commission, which critics had dismissed as a cap that would never be used in practice.",
        "Analysts at several banks said the deal was largely symbolic because wholesale prices have already fallen as storage sites filled up ahead of the winter.",
        "Traders said the announcement had little immediate effect on the Dutch TTF benchmark, which closed slightly lower on Wednesday afternoon.",
        "Several governments said they would keep their own national support schemes for households and companies in place regardless of the new mechanism.",
    ]);

    [Fact]
    public void AWindowKeepsTheFirstCopyOfWhatItKeepsAndForgetsTheRest()
    {
        var index = new NearDuplicateIndex();
        Assert.Null(index.Add("ap", Wire));
        var copy = "EU agrees gas price cap\n\n" + Wire.Replace("early Wednesday", "on Wednesday");
        Assert.Equal("ap", index.Add("copy", copy)!.OriginId);
        Assert.Null(index.Add("other", SameTopic));
        // Only the copy is recent: its group's first copy stays with it; the other story goes.
        Assert.Equal(1, index.Retain(id => id == "copy"));
        Assert.Equal(2, index.Count);
        var again = index.Add("again", copy.Replace("Wednesday", "Thursday"))!;
        Assert.Equal("ap", again.OriginId);
        Assert.Equal(DuplicateKind.Exact, index.Add("exact", Wire)!.Kind);
        Assert.Null(index.Find(SameTopic));
        // Nothing recent: nothing is found any more.
        index.Retain(_ => false);
        Assert.Equal(0, index.Count);
        Assert.Null(index.Find(Wire));
    }

    [Fact]
    public void SameTextInAnotherWrapperIsAnExactDuplicate()
    {
        var index = new NearDuplicateIndex();
        Assert.Null(index.Add("a", Wire));
        var rewrapped = Wire.Replace("\n\n", "\r\n").Replace("\u2014", "-").Replace("\"", "\u201C").ToUpperInvariant();
        var m = index.Add("b", rewrapped)!;
        Assert.Equal(DuplicateKind.Exact, m.Kind);
        Assert.Equal("a", m.OriginId);
        Assert.Equal(TextFingerprint.NormalizedHash(Wire), TextFingerprint.NormalizedHash(rewrapped));
    }

    [Fact]
    public void EditedWireCopiesLinkToTheFirstSeenAndOtherStoriesDoNot()
    {
        var index = new NearDuplicateIndex();
        Assert.Null(index.Add("ap", Wire));
        Assert.Null(index.Add("other", SameTopic));
        var paragraphs = Wire.Split("\n\n");
        // A local outlet: new headline and byline, a local paragraph, the last two paragraphs cut, a few words changed.
        var local = "EU agrees gas price cap after months of talks\n\nBy Maria Lopez, Valley Herald\n\n" + string.Join("\n\n",
            paragraphs[0].Replace("BRUSSELS (AP) — ", "BRUSSELS — ").Replace("early Wednesday", "on Wednesday"),
            paragraphs[1],
            "Valley Gas Co. said customers in the county would see no change to their bills before the spring.",
            paragraphs[2].Replace("long resisted", "resisted"),
            paragraphs[3],
            paragraphs[4]);
        var m1 = index.Add("local", local)!;
        Assert.Equal(DuplicateKind.Near, m1.Kind);
        Assert.Equal("ap", m1.OriginId);
        Assert.True(m1.Containment >= 0.6, $"containment {m1.Containment}");
        // A copy of the copy still points at the origin.
        var m2 = index.Add("local2", local.Replace("Valley Herald", "Coast Times").Replace("Maria Lopez", "Tom Becker"));
        Assert.Equal("ap", m2!.OriginId);
        var (j, c) = index.Compare(Wire, SameTopic);
        Assert.True(c < 0.2, $"different story containment {c}, jaccard {j}");
        int before = index.Count;
        Assert.Equal("other", index.Find(SameTopic.Replace("finally", "at last") + "\n\nA new closing paragraph about storage levels in the Alps.")!.OriginId);
        Assert.Equal(before, index.Count);
    }

    [Fact]
    public async Task IndexSurvivesSaveAndLoadAndIgnoresArticlesSeenAgain()
    {
        using var dir = new TempDir();
        var index = new NearDuplicateIndex();
        Assert.Null(index.Add("ap", Wire));
        var copy = "New headline\n\n" + Wire.Replace("early Wednesday", "on Wednesday");
        var first = index.Add("copy", copy)!;
        await index.SaveAsync(dir.File("i.bin"));

        var loaded = NearDuplicateIndex.Load(dir.File("i.bin"));
        Assert.Equal(2, loaded.Count);
        Assert.Null(loaded.Add("ap", Wire));                  // the same article again: still the origin, not added twice
        Assert.Equal(first, loaded.Add("copy", copy));         // and a copy keeps its link
        Assert.Equal(2, loaded.Count);
        var m = loaded.Add("copy2", copy.ToUpperInvariant())!;   // exact hashes survive too
        Assert.Equal(("ap", "copy", DuplicateKind.Exact), (m.OriginId, m.MatchedId, m.Kind));
        Assert.Equal("ap", loaded.Add("copy3", Wire.Replace("Germany and the Netherlands", "Berlin and The Hague"))!.OriginId);

        File.WriteAllText(dir.File("bad.bin"), "not an index");
        var e = Assert.Throws<InvalidDataException>(() => NearDuplicateIndex.Load(dir.File("bad.bin")));
        Assert.Contains("bad.bin", e.Message);
    }

    [Theory]
    [InlineData("BRUSSELS (AP) — European Union energy ministers agreed", "AP", WireCreditKind.Dateline)]
    [InlineData("LONDON (Reuters) - Britain's economy shrank in the third quarter", "Reuters", WireCreditKind.Dateline)]
    [InlineData("Talks stalled again on Monday.\n\nAssociated Press writer Samuel Petrequin contributed to this report.", "AP", WireCreditKind.Contributed)]
    [InlineData("The ministry declined to comment.\n\n— AFP", "AFP", WireCreditKind.Signoff)]
    [InlineData("Shares fell 3%.\n\n(Reporting by Jane Doe; Editing by John Roe)", "Reuters", WireCreditKind.Signoff)]
    [InlineData("By The Associated Press\n\nWildfires spread across the region.", "AP", WireCreditKind.Byline)]
    [InlineData("Copyright 2026 The Associated Press. All rights reserved.", "AP", WireCreditKind.Copyright)]
    public void WireCreditsAreFound(string text, string agency, WireCreditKind kind)
    {
        var c = WireCredits.Detect(text)!;
        Assert.Equal(agency, c.Agency);
        Assert.Equal(kind, c.Kind);
        Assert.Equal(c.Evidence, text[c.Start..c.End].Trim());
    }

    [Fact]
    public void AgencyNamedAsASourceIsNotACredit()
    {
        var text = string.Join("\n\n", SameTopic.Split("\n\n").Take(2)) + "\n\nThe ministry told Reuters on Tuesday that the AP report was wrong, and AFP was not invited.\n\n" + SameTopic.Split("\n\n")[3];
        Assert.Null(WireCredits.Detect(text));
    }
}
