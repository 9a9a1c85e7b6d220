using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Sitrep.Fuzz;

/// <summary>
/// Makes fuzz inputs from the corpus. Input <c>i</c> of seed <c>s</c> depends only on (s, i) and the corpus: its random
/// source is seeded from both, so any input can be regenerated alone (`--only i`) whatever the batch size.
/// </summary>
public sealed partial class InputGenerator(FuzzCorpus corpus, int seed)
{
    private static readonly UTF8Encoding Utf8 = new(false);

    public FuzzInput Generate(long index)
    {
        var rng = new Random(Mix(seed, index));
        var recipe = new List<string>();
        int roll = rng.Next(100);
        var input = roll switch
        {
            < 36 => TextInput(index, rng, recipe),
            < 70 => HtmlInput(index, rng, recipe),
            < 85 => WarcInput(index, rng, recipe),
            _ => FeedInput(index, rng, recipe),
        };
        return input with { Recipe = string.Join("; ", recipe) };
    }

    /// <summary>SplitMix64 of (seed, index), folded to an int seed for <see cref="Random"/> (whose seeded sequence is stable).</summary>
    public static int Mix(int seed, long index)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)index + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return unchecked((int)(z ^ (z >> 32)));
    }

    // ------------------------------------------------------------------ kinds

    private FuzzInput TextInput(long index, Random rng, List<string> recipe)
    {
        string text = BaseText(rng, recipe);
        string? word = PickWord(text, rng);
        text = MutateText(text, rng, recipe, html: false);
        var bytes = Encode(text, rng, recipe);
        bytes = MutateBytes(bytes, rng, recipe);
        var (name, raw) = FileName(index, rng, recipe, Pick(rng, [".txt", ".txt", ".txt", ".md", "", ".text"]));
        return new FuzzInput(index, InputKind.Text, name, bytes, "") { RawName = raw, Word = word };
    }

    private FuzzInput HtmlInput(long index, Random rng, List<string> recipe)
    {
        string html;
        string? word;
        if (rng.Next(100) < 55)
        {
            int p = rng.Next(corpus.Pages.Count);
            var page = corpus.Pages[p];
            recipe.Add($"page {p}");
            // Most pages are cut to a window (bounded cost per input); a quarter are used whole.
            if (rng.Next(4) != 0 && page.Length > 4096)
            {
                int keep = (int)Math.Min(page.Length, 1024 + (long)Math.Pow(rng.NextDouble(), 2) * 60000);
                int start = rng.Next(3) == 0 ? 0 : rng.Next(page.Length - keep + 1);
                var head = page.AsSpan(0, Math.Min(2048, start));
                page = [.. head, .. page.AsSpan(start, keep)];
                recipe.Add($"window {start}+{keep}");
            }
            html = DecodeLoose(page);
            word = PickWord(TagRegex().Replace(html.Length > 20000 ? html[..20000] : html, " "), rng);
        }
        else
        {
            string text = BaseText(rng, recipe);
            word = PickWord(text, rng);
            html = WrapHtml(text, rng, recipe);
        }
        html = MutateHtml(html, rng, recipe);
        html = MutateText(html, rng, recipe, html: true);
        var bytes = Encode(html, rng, recipe);
        bytes = MutateBytes(bytes, rng, recipe);
        var (name, raw) = FileName(index, rng, recipe, Pick(rng, [".html", ".html", ".htm", ".xhtml", ".txt", ""]));
        return new FuzzInput(index, InputKind.Html, name, bytes, "") { RawName = raw, Word = word };
    }

    private FuzzInput WarcInput(long index, Random rng, List<string> recipe)
    {
        bool gz = rng.Next(2) == 0;
        recipe.Add(gz ? "warc.gz" : "warc");
        var records = new List<byte[]>();
        string? word = null;
        var w = new StringBuilder();
        records.Add(WarcRecord(rng, "warcinfo", null, "application/warc-fields", Utf8.GetBytes("software: sitrep-fuzz\r\nformat: WARC File Format 1.1\r\n")));
        int n = 1 + rng.Next(3);
        for (int k = 0; k < n; k++)
        {
            string text = BaseText(rng, recipe);
            word ??= PickWord(text, rng);
            string html = MutateText(MutateHtml(WrapHtml(text, rng, recipe), rng, recipe), rng, recipe, html: true);
            var body = Encode(html, rng, recipe);
            var uri = $"https://news.example/{index}/{k}{Pick(rng, ["", "?q=\u00e9", "#frag", "/\u0661\u0662"])}";
            if (rng.Next(4) == 0) records.Add(WarcRecord(rng, "request", uri, "application/http; msgtype=request", Utf8.GetBytes($"GET /{index}/{k} HTTP/1.1\r\nHost: news.example\r\n\r\n")));
            int status = rng.Next(10) == 0 ? Pick(rng, [404, 301, 500, 204]) : 200;
            string? type = rng.Next(12) == 0 ? Pick(rng, ["text/plain", "application/pdf", "text/html; charset=utf-7", "text/html; charset=x-unknown", null]) : "text/html; charset=utf-8";
            var extra = new List<string>();
            if (rng.Next(8) == 0) { extra.Add("X-Big: " + new string('h', 1000 + rng.Next(60000))); recipe.Add("big header"); }
            if (rng.Next(10) == 0) { extra.Add("Transfer-Encoding: chunked"); body = Chunked(body, rng); recipe.Add("chunked"); }
            records.Add(WarcRecord(rng, "response", uri, "application/http; msgtype=response", HttpResponse(status, type, body, extra)));
        }
        if (rng.Next(6) == 0)
        {
            // Many distinct long header lines in one record (the 20,000 × 60 KB blow-up, scaled down).
            int lines = 50 + rng.Next(400);
            var sb = new StringBuilder("WARC/1.1\r\nWARC-Type: metadata\r\n");
            for (int l = 0; l < lines; l++) sb.Append("X-H").Append(l).Append(": ").Append(new string((char)('a' + l % 26), 200 + rng.Next(2000))).Append("\r\n");
            sb.Append("Content-Length: 0\r\n\r\n\r\n\r\n");
            records.Add(Utf8.GetBytes(sb.ToString()));
            recipe.Add($"{lines} header lines");
        }
        // Record-level damage before compression.
        for (int k = 0; k < records.Count; k++)
            if (rng.Next(8) == 0)
            {
                records[k] = MutateBytes(records[k], rng, recipe, force: true);
                recipe.Add($"record {k} damaged");
            }
        byte[] bytes;
        using (var ms = new MemoryStream())
        {
            foreach (var r in records)
            {
                if (gz)
                {
                    using var z = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true);
                    z.Write(r);
                }
                else ms.Write(r);
            }
            bytes = ms.ToArray();
        }
        if (rng.Next(8) == 0)
        {
            bytes = MutateBytes(bytes, rng, recipe, force: true);
            recipe.Add("file damaged");
        }
        if (rng.Next(40) == 0) { bytes = []; recipe.Add("empty"); }
        var name = $"{index:D7}{(gz ? ".warc.gz" : ".warc")}";
        return new FuzzInput(index, InputKind.Warc, name, bytes, "") { Word = word };
    }

    private FuzzInput FeedInput(long index, Random rng, List<string> recipe)
    {
        bool atom = rng.Next(2) == 0;
        recipe.Add(atom ? "atom" : "rss");
        int n = 1 + rng.Next(5);
        var pages = new List<LinkedPage>();
        var items = new StringBuilder();
        string? word = null;
        for (int k = 0; k < n; k++)
        {
            string text = BaseText(rng, recipe);
            word ??= PickWord(text, rng);
            string title = Esc(Mutate(FirstLine(text), rng, recipe));
            string date = Esc(OddDate(rng, atom));
            bool linked = rng.Next(3) == 0;
            string path = $"/p/{index}/{k}.html";
            string body = MutateHtml(WrapHtml(text, rng, recipe), rng, recipe);
            if (linked) pages.Add(new LinkedPage(path, Encode(MutateText(body, rng, recipe, html: true), rng, recipe), Pick(rng, ["text/html; charset=utf-8", "text/html", "text/html; charset=utf-7", "text/html; charset=bogus", "text/plain"])));
            string content = "<![CDATA[" + MutateText(ExtractBody(body), rng, recipe, html: true).Replace("]]>", "]]]]><![CDATA[>") + "]]>";
            if (atom)
                items.Append($"<entry><title>{title}</title><id>urn:fuzz:{index}:{k}</id><updated>{date}</updated>")
                    .Append(linked ? $"<link href=\"{{BASE}}{path}\"/>" : "")
                    .Append($"<author><name>{Esc(Mutate("Jane Roe", rng, recipe))}</name></author><content type=\"html\">{content}</content></entry>\n");
            else
                items.Append($"<item><title>{title}</title><guid>fuzz-{index}-{k}</guid><pubDate>{date}</pubDate>")
                    .Append(linked ? $"<link>{{BASE}}{path}</link>" : "")
                    .Append($"<dc:creator>{Esc(Mutate("John Doe", rng, recipe))}</dc:creator><content:encoded>{content}</content:encoded></item>\n");
        }
        if (rng.Next(10) == 0)
        {
            int depth = LogUniform(rng, 20, 3000);
            items.Append(string.Concat(Enumerable.Repeat("<x>", depth))).Append(rng.Next(2) == 0 ? string.Concat(Enumerable.Repeat("</x>", depth)) : "");
            recipe.Add($"feed nesting {depth}");
        }
        string xml = atom
            ? $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Fuzz {index}</title><id>urn:fuzz:{index}</id><updated>{OddDate(rng, true)}</updated>\n{items}</feed>\n"
            : $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Fuzz {index}</title><link>https://news.example/</link>\n{items}</channel></rss>\n";
        if (rng.Next(5) == 0) { xml = MutateText(xml, rng, recipe, html: false); }
        var bytes = Utf8.GetBytes(xml);
        if (rng.Next(6) == 0) bytes = MutateBytes(bytes, rng, recipe, force: true);
        return new FuzzInput(index, InputKind.Feed, $"{index:D7}.xml", bytes, "") { Pages = pages, Word = word };
    }

    // ------------------------------------------------------------------ text material

    private static readonly string[] Cities = ["WASHINGTON", "KYIV", "BEIRUT", "Brussels, Belgium", "CAIRO", "TEHRAN", "القاهرة", "Київ"];
    private static readonly string[] Months = ["January", "February", "March", "Feb.", "Sept.", "Dec", "Μαρτίου", "فبراير"];

    private string BaseText(Random rng, List<string> recipe)
    {
        int roll = rng.Next(100);
        if (roll < 70)
        {
            int s = rng.Next(corpus.Seeds.Count);
            recipe.Add($"seed {s}");
            var t = corpus.Seeds[s];
            if (rng.Next(5) == 0)
            {
                int s2 = rng.Next(corpus.Seeds.Count);
                t += "\n\n" + corpus.Seeds[s2];
                recipe.Add($"+seed {s2}");
            }
            if (rng.Next(4) == 0)
            {
                // A slice of paragraphs.
                var paras = t.Split('\n');
                int a = rng.Next(paras.Length), b = Math.Min(paras.Length, a + 1 + rng.Next(6));
                t = string.Join('\n', paras[a..b]);
                recipe.Add($"paras {a}..{b}");
            }
            return t;
        }
        recipe.Add("synthetic");
        var sb = new StringBuilder();
        sb.Append(Mutate("Ministers meet as talks on the ceasefire stall", rng, recipe)).Append('\n');
        sb.Append(Pick(rng, Cities)).Append(", ").Append(Pick(rng, Months)).Append(' ').Append(OddDigits("26", rng)).Append(", ").Append(OddDigits("2026", rng)).Append(" — ");
        int n = 2 + rng.Next(8);
        for (int k = 0; k < n; k++)
        {
            sb.Append(Pick(rng, [
                "The minister said on {D} that {N} people had been evacuated. ",
                "\"We will not accept this,\" said Maria Kovalenko, a spokeswoman for the ministry, on {D}. ",
                "According to officials who spoke on condition of anonymity, {N} soldiers were killed last week. ",
                "Talks resumed at {T} on {D}, two weeks after the {N}th round ended. ",
                "Prices rose {N} per cent in the year to {D}, the central bank said. ",
                "« Nous ne céderons pas », a déclaré le président le {D}. ",
                "قال المتحدث إن {N} شخصا قتلوا في {D}. ",
                "Reuters reported on {D} that the deal was worth ${N} million. ",
            ]).Replace("{D}", OddDate(rng, false)).Replace("{N}", OddDigits(rng.Next(1, 5000).ToString(), rng)).Replace("{T}", OddDigits($"{rng.Next(24)}:{rng.Next(60):D2}", rng)));
            if (rng.Next(3) == 0) sb.Append("\n\n");
        }
        return sb.ToString();
    }

    private static string OddDate(Random rng, bool iso)
    {
        string s = rng.Next(6) switch
        {
            0 => $"{rng.Next(1, 13):D2}/{rng.Next(1, 32):D2}/20{rng.Next(100):D2}",
            1 => $"20{rng.Next(100):D2}-{rng.Next(0, 14):D2}-{rng.Next(0, 33):D2}T{rng.Next(25):D2}:{rng.Next(61):D2}:00Z",
            2 => $"{Pick(rng, Months)} {rng.Next(0, 40)}, {rng.Next(1, 99999)}",
            3 => $"{Pick(rng, ["Mon", "Tue", "Sun", "Xyz"])}, {rng.Next(0, 40):D2} {Pick(rng, ["Jan", "Feb", "Dec", "Foo"])} {rng.Next(1900, 2100)} {rng.Next(25):D2}:{rng.Next(61):D2}:{rng.Next(61):D2} {Pick(rng, ["GMT", "+0000", "-9999", "EST", "Z", ""])}",
            4 => iso ? "2026-02-26T10:00:00+14:59" : "February 2\u0666, 20\u0662\u0666",
            _ => $"{rng.Next(0, 40)} {Pick(rng, Months)} 20{rng.Next(100):D2}",
        };
        return OddDigits(s, rng);
    }

    /// <summary>Replaces some ASCII digits by other Unicode digits or letters (Arabic-Indic, Devanagari, fullwidth, mathematical, superscript…).</summary>
    private static string OddDigits(string s, Random rng)
    {
        if (rng.Next(3) == 0) return s;
        var sb = new StringBuilder(s.Length + 8);
        foreach (char c in s)
        {
            if (c is >= '0' and <= '9' && rng.Next(3) == 0)
            {
                int d = c - '0';
                switch (rng.Next(11))
                {
                    case 0: sb.Append((char)(0x0660 + d)); break; // Arabic-Indic
                    case 1: sb.Append((char)(0x06F0 + d)); break; // Extended Arabic-Indic
                    case 2: sb.Append((char)(0x0966 + d)); break; // Devanagari
                    case 3: sb.Append((char)(0xFF10 + d)); break; // fullwidth
                    case 4: sb.Append(char.ConvertFromUtf32(0x1D7CE + d)); break; // mathematical bold (a surrogate pair)
                    case 5: sb.Append("⁰¹²³⁴⁵⁶⁷⁸⁹"[d]); break;
                    case 6: sb.Append("①②③④⑤⑥⑦⑧⑨"[Math.Max(0, d - 1)]); break;
                    case 7: sb.Append((char)(0x0E50 + d)); break; // Thai
                    case 8: sb.Append(Pick(rng, ["X", "õ", "O", "l", "٫", "·"])); break;
                    case 9: sb.Append(c).Append('\u0301'); break; // combining mark on a digit
                    default: sb.Append((char)(0x09E6 + d)); break; // Bengali
                }
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private static string WrapHtml(string text, Random rng, List<string> recipe)
    {
        var lines = text.Split('\n');
        var sb = new StringBuilder("<!DOCTYPE html>\n<html><head>");
        string charset = rng.Next(6) == 0 ? Pick(rng, ["utf-7", "UTF-7", "x-unknown", "utf-32", "ISO-2022-JP", "utf-16", "x-user-defined", "binary", "", "utf-8\0", "windows-1252", "koi8-r", "\u0661"]) : "utf-8";
        if (charset != "utf-8") recipe.Add($"charset {Printable(charset)}");
        sb.Append(rng.Next(2) == 0 ? $"<meta charset=\"{charset}\">" : $"<meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\">");
        sb.Append("<title>").Append(Esc(lines[0])).Append("</title>");
        if (rng.Next(2) == 0) sb.Append($"<meta property=\"article:published_time\" content=\"{Esc(OddDate(rng, true))}\">");
        if (rng.Next(3) == 0) sb.Append($"<meta name=\"author\" content=\"{Esc(OddDigits("Ann Lee 2", rng))}\">");
        if (rng.Next(4) == 0) sb.Append($"<script type=\"application/ld+json\">{{\"@type\":\"NewsArticle\",\"datePublished\":\"{OddDate(rng, true).Replace("\"", "")}\",\"headline\":\"x\"}}</script>");
        sb.Append("</head><body><article><h1>").Append(Esc(lines[0])).Append("</h1>");
        if (rng.Next(3) == 0) sb.Append($"<time datetime=\"{Esc(OddDate(rng, true))}\">{Esc(OddDate(rng, false))}</time>");
        foreach (var l in lines.Skip(1))
            if (!string.IsNullOrWhiteSpace(l)) sb.Append("<p>").Append(Esc(l)).Append("</p>\n");
        sb.Append("</article></body></html>\n");
        return sb.ToString();
    }

    // ------------------------------------------------------------------ mutations

    private static readonly string[] Rtl = ["\u200F", "\u202E", "\u202B", "\u2067", "\u061C", "\u200E", "\u202C"];
    private static readonly string[] Combining = ["\u0301", "\u0308", "\u20DD", "\u0336", "\u0489", "\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308"];
    private static readonly string[] ZeroWidth = ["\u200B", "\u200C", "\u200D", "\uFEFF", "\u2060", "\u00AD"];
    private static readonly string[] Emoji = ["👍", "🇺🇦", "👨‍👩‍👧", "🏳️‍🌈", "😀", "🧑🏽‍🚀", "\u2764\uFE0F", "𝟐𝟎𝟐𝟔"];
    private static readonly string[] Tags =
    [
        "<div>", "</div>", "<p>", "</p>", "<table><tr><td>", "</td></tr>", "<script>", "</script>", "<!--", "-->", "<![CDATA[",
        "<svg>", "<math>", "<p", "<a href=\"", "<li>", "</body></html><html><body>", "<style>", "<template>", "<noscript>",
        "<br/>", "<b><i>", "</b>", "<h1>", "</h2>", "<article>", "</article>", "<select><option>", "<textarea>", "<title>",
        "<img src=x onerror=alert(1)>", "<iframe>", "<plaintext>", "<xmp>", "&#0;", "&#xD800;", "&#1114112;", "&amp;amp;", "&#x202E;", "&lt;",
    ];

    private static string MutateText(string s, Random rng, List<string> recipe, bool html)
    {
        int n = rng.Next(4);
        for (int k = 0; k < n; k++)
        {
            switch (rng.Next(9))
            {
                case 0: s = InsertMany(s, rng, Rtl, "rtl", recipe); break;
                case 1: s = InsertMany(s, rng, Combining, "combining", recipe); break;
                case 2: s = InsertMany(s, rng, ZeroWidth, "zero-width", recipe); break;
                case 3: s = InsertMany(s, rng, Emoji, "emoji", recipe); break;
                case 4: s = InsertMany(s, rng, ["\0"], "nul", recipe); break;
                case 5: s = ReplaceDigits(s, rng, recipe); break;
                case 6: s = InsertAt(s, rng, Pick(rng, [" on February 2\u0666, 20\u0662\u0666 ", " 2X25 ", " 0\u0661 ", " \u00f50 ", " March 3\uff11st ", " \u0661\u0662/\u0660\u0663/\u0662\u0660\u0662\u0666 ", " at 1\u0660:3\u0660 a.m. ", " $1\u066B5 million "]), "odd date", recipe); break;
                case 7:
                    {
                        // A long run without spaces, or a paragraph repeated.
                        if (rng.Next(2) == 0) s = InsertAt(s, rng, new string(Pick(rng, ['a', '-', '"', '.', 'ا']), LogUniform(rng, 100, 40000)), "long run", recipe);
                        else
                        {
                            int at = rng.Next(s.Length + 1), len = Math.Min(s.Length - at, 200 + rng.Next(800));
                            var part = s.Substring(at, len);
                            int times = LogUniform(rng, 2, 60);
                            s = s.Insert(at, string.Concat(Enumerable.Repeat(part, times)));
                            recipe.Add($"repeat x{times}");
                        }
                        break;
                    }
                default:
                    if (html) s = InsertAt(s, rng, Pick(rng, Tags), "tag", recipe);
                    else s = InsertAt(s, rng, Pick(rng, ["\u201c", "\"", "\u00ab", "\u201d", "'", "\r", "\f", "\v", "\u2028", "\u0085"]), "quote/space", recipe);
                    break;
            }
        }
        // Cut near an emoji or other astral character, splitting the surrogate pair.
        if (rng.Next(12) == 0)
        {
            int at = -1;
            for (int tries = 0; tries < 4 && at < 0; tries++)
            {
                int from = rng.Next(s.Length + 1);
                for (int p = from; p < s.Length; p++) if (char.IsHighSurrogate(s[p])) { at = p; break; }
            }
            if (at < 0) { s = InsertAt(s, rng, "🇺🇦", "emoji", recipe); at = s.IndexOf('\uD83C'); }
            if (at >= 0)
            {
                s = s[..(at + 1)] + (rng.Next(2) == 0 || at + 2 > s.Length ? "" : s[(at + 2)..]);
                recipe.Add("cut mid-surrogate");
            }
        }
        return s;
    }

    private static string MutateHtml(string html, Random rng, List<string> recipe)
    {
        int n = rng.Next(3);
        for (int k = 0; k < n; k++)
        {
            switch (rng.Next(5))
            {
                case 0:
                    {
                        int count = 1 + rng.Next(40);
                        var sb = new StringBuilder(html);
                        for (int t = 0; t < count; t++) sb.Insert(rng.Next(sb.Length + 1), Pick(rng, Tags));
                        html = sb.ToString();
                        recipe.Add($"tag soup {count}");
                        break;
                    }
                case 1:
                    {
                        int depth = LogUniform(rng, 30, 6000);
                        string tag = Pick(rng, ["div", "span", "b", "table", "ul", "blockquote", "p", "font"]);
                        string open = tag == "table" ? "<table><tr><td>" : $"<{tag}>";
                        string inner = Pick(rng, ["deep text", "", "<p>Deep paragraph with a date, February 2\u0666, 2026.</p>"]);
                        string close = rng.Next(2) == 0 ? string.Concat(Enumerable.Repeat(tag == "table" ? "</td></tr></table>" : $"</{tag}>", depth)) : "";
                        html = InsertAt(html, rng, string.Concat(Enumerable.Repeat(open, depth)) + inner + close, $"nest {tag} x{depth}", null);
                        recipe.Add($"nest {tag} x{depth}{(close.Length == 0 ? " unclosed" : "")}");
                        break;
                    }
                case 2:
                    {
                        string cs = Pick(rng, ["utf-7", "x-unknown-cs", "utf-32", "UTF-16", "ISO-2022-KR", "x-user-defined", "", "\u202Eutf-8"]);
                        html = "<meta charset=\"" + cs + "\">" + html;
                        recipe.Add($"meta charset {Printable(cs)}");
                        break;
                    }
                case 3:
                    html = InsertAt(html, rng, $"<a href=\"javascript:alert(1)\">x</a><img src=\"http://169.254.169.254/x\"><a href=\"{Pick(rng, ["http://[::1]/", "http://0x7f000001/", "http://2130706433/", "file:///etc/passwd"])}\">y</a>", "links", recipe);
                    break;
                default:
                    html = InsertAt(html, rng, Pick(rng, ["<time datetime=\"20\u0662\u0666-0\u0662-2\u0666\">", "<meta property=\"article:published_time\" content=\"2X25-13-45\">", "<span class=\"byline\">By \u202EJane\u202C Doe</span>", "<p class=\"dateline\">KYIV, Feb. 2\u0666 (Reuters) -</p>"]), "meta/odd", recipe);
                    break;
            }
        }
        return html;
    }

    private static string ReplaceDigits(string s, Random rng, List<string> recipe)
    {
        recipe.Add("odd digits");
        var sb = new StringBuilder(s.Length);
        int i = 0;
        foreach (Match m in DigitsRegex().Matches(s))
        {
            sb.Append(s, i, m.Index - i);
            sb.Append(rng.Next(3) == 0 ? OddDigits(m.Value, rng) : m.Value);
            i = m.Index + m.Length;
        }
        sb.Append(s, i, s.Length - i);
        return sb.ToString();
    }

    private static string InsertMany(string s, Random rng, string[] what, string name, List<string> recipe)
    {
        int count = LogUniform(rng, 1, 200);
        var sb = new StringBuilder(s);
        for (int k = 0; k < count; k++) sb.Insert(SafeIndex(sb, rng.Next(sb.Length + 1)), Pick(rng, what));
        recipe.Add($"{name} x{count}");
        return sb.ToString();
    }

    private static int SafeIndex(StringBuilder sb, int at) => at > 0 && at < sb.Length && char.IsLowSurrogate(sb[at]) ? at - 1 : at;

    private static string InsertAt(string s, Random rng, string what, string name, List<string>? recipe)
    {
        int at = rng.Next(s.Length + 1);
        if (at > 0 && at < s.Length && char.IsLowSurrogate(s[at])) at--;
        recipe?.Add(name);
        return s.Insert(at, what);
    }

    private static string Mutate(string s, Random rng, List<string> recipe) => rng.Next(3) == 0 ? MutateText(s, rng, recipe, html: false) : s;

    private static byte[] Encode(string text, Random rng, List<string> recipe)
    {
        int roll = rng.Next(100);
        if (roll < 84) return Utf8.GetBytes(text);
        string name;
        byte[] b;
        switch (roll)
        {
            case 84 or 85: name = "utf-8 bom"; b = [0xEF, 0xBB, 0xBF, .. Utf8.GetBytes(text)]; break;
            case 86 or 87: name = "utf-16le bom"; b = [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)]; break;
            case 88: name = "utf-16be bom"; b = [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)]; break;
            case 89: name = "utf-16le no bom"; b = Encoding.Unicode.GetBytes(text); break;
            case 90: name = "utf-32le bom"; b = [0xFF, 0xFE, 0, 0, .. new UTF32Encoding(false, false).GetBytes(text)]; break;
            case 91: name = "utf-32be bom"; b = [0, 0, 0xFE, 0xFF, .. new UTF32Encoding(true, false).GetBytes(text)]; break;
            case 92 or 93: name = "latin-1"; b = Encoding.Latin1.GetBytes(text); break;
            case 94:
                {
                    // CESU-8 style lone surrogates (ED A0 80) spliced into UTF-8.
                    name = "lone surrogate bytes";
                    var u = Utf8.GetBytes(text);
                    int at = rng.Next(u.Length + 1);
                    b = [.. u.AsSpan(0, at), 0xED, 0xA0, 0x80, .. u.AsSpan(at)];
                    break;
                }
            case 95 or 96:
                {
                    name = "utf-16le bom cut mid-surrogate";
                    var u = Encoding.Unicode.GetBytes(text.Insert(rng.Next(text.Length + 1), "😀"));
                    int hs = FindHighSurrogate16(u, rng);
                    b = [0xFF, 0xFE, .. u.AsSpan(0, hs >= 0 ? hs + 2 + rng.Next(2) : u.Length - 1)];
                    break;
                }
            default:
                {
                    name = "cut mid-utf-8";
                    var u = Utf8.GetBytes(text);
                    int at = -1;
                    for (int p = rng.Next(u.Length + 1); p < u.Length; p++) if (u[p] >= 0xC0) { at = p; break; }
                    b = at < 0 ? u : u[..(at + 1 + rng.Next(2) % Math.Max(1, u.Length - at - 1))];
                    break;
                }
        }
        recipe.Add(name);
        return b;
    }

    private static int FindHighSurrogate16(byte[] u, Random rng)
    {
        for (int p = rng.Next(u.Length / 2 + 1) * 2; p + 1 < u.Length; p += 2)
            if (u[p + 1] is >= 0xD8 and <= 0xDB) return p;
        for (int p = 0; p + 1 < u.Length; p += 2)
            if (u[p + 1] is >= 0xD8 and <= 0xDB) return p;
        return -1;
    }

    private static byte[] MutateBytes(byte[] b, Random rng, List<string> recipe, bool force = false)
    {
        if (b.Length == 0) return b;
        int roll = force ? rng.Next(60) : rng.Next(100);
        if (roll < 25)
        {
            int flips = LogUniform(rng, 1, 64);
            b = (byte[])b.Clone();
            for (int k = 0; k < flips; k++)
            {
                int at = rng.Next(b.Length);
                b[at] = rng.Next(2) == 0 ? (byte)(b[at] ^ (1 << rng.Next(8))) : (byte)rng.Next(256);
            }
            recipe.Add($"flip x{flips}");
        }
        else if (roll < 45)
        {
            int cut = rng.Next(b.Length);
            b = b[..cut];
            recipe.Add($"truncate {cut}");
        }
        else if (roll < 52)
        {
            // Insert NUL or other control bytes.
            int count = LogUniform(rng, 1, 20);
            var list = new List<byte>(b);
            for (int k = 0; k < count; k++) list.Insert(rng.Next(list.Count + 1), Pick(rng, new byte[] { 0, 0, 0, 1, 0x1B, 0x7F, 0xFF, 0xC0, 0x80 }));
            b = [.. list];
            recipe.Add($"control bytes x{count}");
        }
        else if (roll < 56)
        {
            // Splice: a random span duplicated elsewhere.
            int a = rng.Next(b.Length), len = Math.Min(b.Length - a, 1 + rng.Next(4000));
            int at = rng.Next(b.Length + 1);
            b = [.. b.AsSpan(0, at), .. b.AsSpan(a, len), .. b.AsSpan(at)];
            recipe.Add("splice");
        }
        else if (roll < 60)
        {
            int a = rng.Next(b.Length), len = Math.Min(b.Length - a, 1 + rng.Next(4000));
            b = [.. b.AsSpan(0, a), .. b.AsSpan(a + len)];
            recipe.Add("delete span");
        }
        return b;
    }

    // ------------------------------------------------------------------ names

    private static (string Name, byte[]? Raw) FileName(long index, Random rng, List<string> recipe, string ext)
    {
        string stem = $"{index:D7}";
        int roll = rng.Next(100);
        if (roll >= 8) return (stem + ext, null);
        if (roll == 0 && OperatingSystem.IsLinux())
        {
            recipe.Add("non-utf-8 name");
            byte[] raw = [.. Encoding.ASCII.GetBytes(stem), 0xFF, 0xFE, (byte)'-', 0xC3, 0x28, .. Encoding.ASCII.GetBytes(ext)];
            return (stem + "\uFFFD\uFFFD-\uFFFD(" + ext, raw);
        }
        string odd = Pick(rng, [
            "\nsitrep: forged line", "\r\nline two", "\t\u001b[31mred\u001b[0m", "\u202Etxt.exe", " name with spaces ", "\u0007bell",
            "<script>alert(1)<\u2215script>", "[x](javascript:alert(1))", "😀\u200D", "\u0661\u0662\u0663", "new\nline", "\u2028sep", "ü\u0308\u0308",
        ]);
        recipe.Add($"odd name {Printable(odd)}");
        return (stem + odd + ext, null);
    }

    // ------------------------------------------------------------------ helpers

    private static byte[] WarcRecord(Random rng, string type, string? uri, string contentType, byte[] block)
    {
        var id = new byte[16];
        rng.NextBytes(id);
        var head = new StringBuilder($"WARC/1.1\r\nWARC-Type: {type}\r\n");
        if (uri != null) head.Append($"WARC-Target-URI: {uri}\r\n");
        head.Append($"WARC-Date: {Pick(rng, ["2026-11-22T14:05:09Z", "2026-11-22T14:05:09Z", "20\u0662\u0666-11-22T14:05:09Z", "not a date", "2026-13-45T99:99:99Z"])}\r\n");
        int len = block.Length;
        if (rng.Next(15) == 0) len += rng.Next(-50, 50);
        string lenText = rng.Next(60) == 0 ? Pick(rng, ["-1", "99999999999999999999", "1e3", "\u0661\u0662", ""]) : len.ToString(System.Globalization.CultureInfo.InvariantCulture);
        head.Append($"WARC-Record-ID: <urn:uuid:{new Guid(id)}>\r\nContent-Type: {contentType}\r\nContent-Length: {lenText}\r\n\r\n");
        return [.. Utf8.GetBytes(head.ToString()), .. block, .. "\r\n\r\n"u8];
    }

    private static byte[] HttpResponse(int status, string? contentType, byte[] body, List<string> extra)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {(status == 200 ? "OK" : "Other")}\r\n");
        if (contentType != null) head.Append($"Content-Type: {contentType}\r\n");
        foreach (var h in extra) head.Append(h).Append("\r\n");
        if (!extra.Any(h => h.StartsWith("Transfer-Encoding", StringComparison.Ordinal))) head.Append($"Content-Length: {body.Length}\r\n");
        head.Append("\r\n");
        return [.. Utf8.GetBytes(head.ToString()), .. body];
    }

    private static byte[] Chunked(byte[] body, Random rng)
    {
        using var ms = new MemoryStream();
        int at = 0;
        while (at < body.Length)
        {
            int n = Math.Min(body.Length - at, 1 + rng.Next(4096));
            ms.Write(Encoding.ASCII.GetBytes($"{n:x}\r\n"));
            ms.Write(body, at, n);
            ms.Write("\r\n"u8);
            at += n;
        }
        if (rng.Next(3) != 0) ms.Write("0\r\n\r\n"u8);
        return ms.ToArray();
    }

    private static string ExtractBody(string html)
    {
        int a = html.IndexOf("<body>", StringComparison.Ordinal), b = html.LastIndexOf("</body>", StringComparison.Ordinal);
        return a >= 0 && b > a ? html[(a + 6)..b] : html;
    }

    private static string FirstLine(string s)
    {
        int nl = s.IndexOf('\n');
        var line = nl < 0 ? s : s[..nl];
        return line.Length > 200 ? line[..200] : line;
    }

    private static string DecodeLoose(byte[] b) => Utf8.GetString(b);

    private static string Esc(string s) => System.Net.WebUtility.HtmlEncode(s);

    private static string? PickWord(string text, Random rng)
    {
        var words = WordRegex().Matches(text.Length > 20000 ? text[..20000] : text);
        return words.Count == 0 ? null : words[rng.Next(words.Count)].Value;
    }

    public static string Printable(string s)
    {
        var sb = new StringBuilder();
        foreach (var r in s.EnumerateRunes())
            sb.Append(Rune.IsControl(r) || r.Value is 0x2028 or 0x2029 or 0x202E or 0x200F ? $"\\u{r.Value:X4}" : r.ToString());
        return sb.ToString();
    }

    private static int LogUniform(Random rng, int lo, int hi) => (int)Math.Round(Math.Exp(Math.Log(lo) + rng.NextDouble() * (Math.Log(hi) - Math.Log(lo))));

    private static T Pick<T>(Random rng, T[] items) => items[rng.Next(items.Length)];

    [GeneratedRegex(@"\d+")]
    private static partial Regex DigitsRegex();

    [GeneratedRegex(@"(?<![\p{L}\p{M}])[A-Za-z]{5,15}(?![\p{L}\p{M}])")]
    private static partial Regex WordRegex();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex TagRegex();
}
