using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sitrep.Ingest.Web;
using Sitrep.Pipeline;

namespace Sitrep.Tests.Pipeline;

/// <summary>
/// The layers' one serializer keeps the stored JSON of earlier stores: a record read back and written again is the same
/// bytes, and the export converts every offset of the typed records.
/// </summary>
public sealed class LayerJsonTests
{
    /// <summary>A time record as the earlier key-by-key writer stored it (a seed article; one conflict and one flag added in that writer's key order).</summary>
    private const string StoredTime = """
        {"published":{"from":"2025-09-12","to":"2026-12-07","likeliest":"2026-04-25","source":"content","windows":"[2025-09-12, 2026-12-08)","basis":[{"kind":"notaftertoday","strength":"hard","from":null,"to":"2026-12-07","start":0,"end":0,"sentence_start":0,"sentence_end":0,"reason":"not after the day of analysis, 2026-12-07","satisfied":true},{"kind":"role","strength":"hard","from":"2024-10-01","to":null,"start":200,"end":233,"sentence_start":200,"sentence_end":448,"reason":"\u0027NATO Secretary General Mark Rutte\u0027: Mark Rutte was Secretary General (NATO) from 2024-10-01","satisfied":true},{"kind":"role","strength":"hard","from":"2017-01-20","to":null,"start":966,"end":993,"sentence_start":920,"sentence_end":1124,"reason":"\u0027U.S. President Donald Trump\u0027: Donald Trump was President (United States) from 2017-01-20 to 2021-01-19 and from 2025-01-20","satisfied":true},{"kind":"exists","strength":"hard","from":"2025-01-14","to":null,"start":1710,"end":1723,"sentence_start":1566,"sentence_end":1821,"reason":"\u0027Baltic Sentry\u0027 is named: Baltic Sentry launched 2025-01-14","satisfied":true},{"kind":"exists","strength":"hard","from":"2025-09-12","to":null,"start":1728,"end":1742,"sentence_start":1566,"sentence_end":1821,"reason":"\u0027Eastern Sentry\u0027 is named: Eastern Sentry launched 2025-09-12","satisfied":true}],"conflicts":[{"reason":"dateline says June 3","start":12,"end":18}]},"times":[{"text":"Monday","start":247,"end":253,"type":"DATE","value":"2026-04-20"},{"text":"last year","start":633,"end":642,"type":"DATE","value":"2025"},{"text":"now","start":651,"end":654,"type":"DATE","value":"PRESENT_REF"},{"text":"currently","start":1957,"end":1966,"type":"DATE","value":"PRESENT_REF"}],"flags":[{"kind":"stale_role","text":"President Biden","start":300,"end":315,"reason":"Biden left office on 2025-01-20","text_says":"President","knowledge_says":null}],"timeline":[{"from":"2026-04-20","to":"2026-04-20","value":"2026-04-20","start":247,"end":253,"sentence_start":200,"sentence_end":448,"uncertain":true},{"from":"2025-01-01","to":"2025-12-31","value":"2025","start":633,"end":642,"sentence_start":583,"sentence_end":744,"uncertain":true}]}
        """;

    [Fact]
    public void AStoredTimeRecordReadsBackAndWritesTheSameBytes()
    {
        var view = TimeJson.Read(StoredTime);
        Assert.Equal(new DateOnly(2025, 9, 12), view.Published.From);
        Assert.Equal(5, view.Published.Basis.Count);
        Assert.Equal(("dateline says June 3", 12, 18), (view.Published.Conflicts[0].Reason, view.Published.Conflicts[0].Start, view.Published.Conflicts[0].End));
        Assert.Equal(("President", (string?)null), (view.Flags[0].TextSays, view.Flags[0].KnowledgeSays));
        Assert.Equal(StoredTime, LayerJson.Serialize(view, LayerJson.Context.ArticleTimeView));
    }

    [Fact]
    public void ProvenanceIsWrittenAsBeforeAndReadBackTyped()
    {
        var p = new ArticleProvenance("https://wire.example/gas", "Wire", ["Samuel Petrequin", "Lorne Cook"], "en",
            new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero), null, "https://wire.example/rss", null, null, null, null, null);
        var json = ProvenanceJson.Serialize(p);
        // the default encoder escapes "+", as the earlier JsonObject writer did
        Assert.Equal("""{"url":"https://wire.example/gas","site":"Wire","authors":["Samuel Petrequin","Lorne Cook"],"language":"en","published":"2026-11-23T06:00:00\u002B00:00","fetched":null,"feed_url":"https://wire.example/rss"}""", json);
        var back = ProvenanceJson.Parse(json);
        Assert.Equal(["Samuel Petrequin", "Lorne Cook"], back.Authors);
        Assert.Equal(("https://wire.example/rss", "2026-11-23T06:00:00+00:00", (string?)null), (back.FeedUrl, back.Published, back.Fetched));
        Assert.Same(Provenance.None, ProvenanceJson.Parse(null));
        Assert.Equal(["A"], ProvenanceJson.Parse("""{"authors":["A"," ",null]}""").Authors);
    }

    [Fact]
    public void TheExportConvertsEveryOffsetAndKeepsTheRest()
    {
        const string quotes = """{"quotes":[{"text":"We will meet","start":40,"end":52,"direct":true,"statement":0,"cue":{"text":"said","start":60,"end":64},"speaker":{"text":null,"start":-1,"end":-1,"kb_id":null,"kind":"none"},"outlet_credit":null,"confidence":0.85}],"sourcing":{"claims":1,"named":0,"described":0,"unnamed":0,"collective":0,"none":1,"direct":1}}""";
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            LayerJson.WriteExportMembers(w, quotes, StoredTime, x => x < 0 ? x : x + 1000);
            w.WriteEndObject();
        }
        var o = JsonNode.Parse(Encoding.UTF8.GetString(ms.ToArray()))!.AsObject();
        Assert.Equal(["quotes", "sourcing", "published", "times", "flags", "timeline"], o.Select(kv => kv.Key));
        var q = o["quotes"]![0]!;
        Assert.Equal((1040, 1052, 1060, 1064, -1), ((int)q["start"]!, (int)q["end"]!, (int)q["cue"]!["start"]!, (int)q["cue"]!["end"]!, (int)q["speaker"]!["start"]!));
        Assert.Equal(0.85, (double)q["confidence"]!);
        Assert.Equal(1, (int)o["sourcing"]!["none"]!);
        var b = o["published"]!["basis"]![1]!;
        Assert.Equal((1200, 1233, 1200, 1448), ((int)b["start"]!, (int)b["end"]!, (int)b["sentence_start"]!, (int)b["sentence_end"]!));
        Assert.Equal(1012, (int)o["published"]!["conflicts"]![0]!["start"]!);
        Assert.Equal((1247, "Monday"), ((int)o["times"]![0]!["start"]!, (string?)o["times"]![0]!["text"]));
        Assert.Equal(1315, (int)o["flags"]![0]!["end"]!);
        Assert.Equal((1583, 1744, "2025-12-31"), ((int)o["timeline"]![1]!["sentence_start"]!, (int)o["timeline"]![1]!["sentence_end"]!, (string?)o["timeline"]![1]!["to"]));
        Assert.Equal("2025-09-12", (string?)o["published"]!["from"]);
    }
}
