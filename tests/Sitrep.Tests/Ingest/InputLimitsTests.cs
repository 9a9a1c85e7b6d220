using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Sitrep.Ingest;
using Sitrep.Ingest.Html;
using Sitrep.Ingest.Warc;
using Sitrep.Ingest.Web;
using Sitrep.Store;

namespace Sitrep.Tests;

/// <summary>
/// Hostile files: NULs, UTF-32, special files, links and loops, odd names, WARC and feed floods, deep nesting.
/// Each is refused in one line naming the file and the limit (or taken whole), and the other files of the run are stored.
/// </summary>
public sealed class InputLimitsTests
{
    private static string Seed(string prefix) => Directory.GetFiles(TestPaths.Seeds).Single(f => Path.GetFileName(f).StartsWith(prefix));

    private static async Task<List<StoredDocument>> Documents(string db)
    {
        await using var store = await SqliteStore.OpenAsync(db, readOnly: true);
        var list = new List<StoredDocument>();
        await foreach (var d in store.ReadDocumentsAsync()) list.Add(d);
        return list;
    }

    /// <summary>Ingests the good seed 001 with the others; returns the error lines; asserts the good seed is stored.</summary>
    private static async Task<(string[] Errors, List<StoredDocument> Docs)> Ingest(TempDir dir, params string[] inputs)
    {
        var db = dir.File("t.db");
        var run = CliRunner.RunAsync(["ingest", Seed("001"), .. inputs, "--db", db, "--quiet"]);
        var r = await run.WaitAsync(TimeSpan.FromSeconds(60)); // a FIFO or a device must not block the run
        var docs = await Documents(db);
        Assert.Contains(docs, d => d.Files.Any(f => f.Contains("001_", StringComparison.Ordinal)));
        return (r.ErrLines, docs);
    }

    private static void Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} failed: {p.StandardError.ReadToEnd()}");
    }

    // ------------------------------------------------------------------ NUL bytes and UTF-32

    [Fact]
    public async Task NulLateInATextFileIsStoredAsAReplacementCharacterAndTheTextIsWhole()
    {
        using var dir = new TempDir();
        var text = File.ReadAllText(Seed("000")) + "\n\n" + File.ReadAllText(Seed("002")) + "\n\n" + File.ReadAllText(Seed("003"));
        var bytes = Encoding.UTF8.GetBytes(text);
        int at = bytes.Length - 1500;
        while (bytes[at] >= 0x80) at++; // on an ASCII byte, so the NUL replaces one character
        Assert.True(at > ContentSniffer.HeadBytes);
        bytes[at] = 0;
        var path = dir.File("late-nul.txt");
        File.WriteAllBytes(path, bytes);

        var (errors, docs) = await Ingest(dir, path);
        Assert.Empty(errors);
        var doc = Assert.Single(docs, d => d.Files.Contains(path));
        var expected = Encoding.UTF8.GetString(bytes).Replace('\0', '\uFFFD');
        Assert.Equal(expected, doc.Text); // stored whole, not cut at the NUL
        Assert.DoesNotContain('\0', doc.Text);
        Assert.All(doc.Pieces, p => Assert.InRange(p.End, p.Start, doc.Text.Length));
    }

    [Fact]
    public void NulsAreBinaryAtTheStartOrWhenDenseAndTextOtherwise()
    {
        var prose = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("The council met on Tuesday to discuss the budget. ", 400)));
        var early = prose.ToArray();
        early[100] = 0;
        Assert.Equal("binary file (NUL byte at offset 100)", SourceLoader.Decode("early.txt", early).Problem!.Reason);

        var dense = prose.ToArray();
        for (int i = ContentSniffer.HeadBytes + 10; i < dense.Length; i += 40) dense[i] = 0; // a binary tail: 2.5% NULs
        var reason = SourceLoader.Decode("tail.txt", dense).Problem!.Reason;
        Assert.StartsWith("binary file (", reason);
        Assert.Contains($"NUL bytes, first at offset {ContentSniffer.HeadBytes + 10})", reason);

        var sparse = prose.ToArray();
        sparse[ContentSniffer.HeadBytes + 10] = 0;
        var (doc, problem) = SourceLoader.Decode("sparse.txt", sparse);
        Assert.Null(problem);
        Assert.Equal(sparse.Length, doc!.Text.Length);
        Assert.Equal('\uFFFD', doc.Text[ContentSniffer.HeadBytes + 10]);

        // UTF-16 without a byte-order mark stays refused, and the reason says what it probably is.
        var utf16 = Encoding.Unicode.GetBytes("The council met on Tuesday to discuss the budget.");
        Assert.Contains("UTF-16 text without a byte-order mark?", SourceLoader.Decode("u16.txt", utf16).Problem!.Reason);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Utf32WithAByteOrderMarkIsDecodedAsUtf32(bool bigEndian)
    {
        var text = File.ReadAllText(Seed("002"));
        var enc = new UTF32Encoding(bigEndian, byteOrderMark: true);
        byte[] bytes = [.. enc.GetPreamble(), .. enc.GetBytes(text)];
        var (doc, problem) = SourceLoader.Decode("u32.txt", bytes);
        Assert.Null(problem);
        Assert.Equal(bigEndian ? "utf-32be" : "utf-32le", doc!.Encoding);
        Assert.Equal(text, doc.Text);
    }

    [Fact]
    public void HtmlTextAndMetadataNeverHoldANul()
    {
        // A NUL reached through a charset the plain decoder does not handle, straight into the extractor.
        var html = "<html><head><title>Budget\0 vote</title></head><body><article><p>The council met on Tuesday\0 to discuss the budget for next year, officials said.</p>"
                 + "<p>It will vote again next week after the amendments have been read.</p></article></body></html>";
        var (text, meta) = HtmlText.Extract(html);
        Assert.DoesNotContain('\0', text);
        Assert.DoesNotContain('\0', meta.Title ?? "");
        Assert.Contains("council met on Tuesday", text);
    }

    // ------------------------------------------------------------------ special files, links, names

    [Fact]
    public async Task AFifoInAFolderIsRefusedUnopenedAndTheRestIsTaken()
    {
        using var dir = new TempDir();
        var folder = Directory.CreateDirectory(dir.File("in")).FullName;
        File.Copy(Seed("000"), Path.Combine(folder, "good.txt"));
        var fifo = Path.Combine(folder, "pipe.txt");
        Run("mkfifo", fifo);
        var (errors, docs) = await Ingest(dir, folder);
        Assert.Equal($"sitrep: {fifo}: not a regular file (a FIFO)", Assert.Single(errors));
        Assert.Contains(docs, d => d.Files.Contains(Path.Combine(folder, "good.txt")));

        // Named directly, too.
        (errors, _) = await Ingest(dir, fifo);
        Assert.Equal($"sitrep: {fifo}: not a regular file (a FIFO)", Assert.Single(errors));

        // A Unix socket, the same way.
        var socketPath = Path.Combine(folder, "sock");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
        (errors, _) = await Ingest(dir, socketPath);
        Assert.Equal($"sitrep: {socketPath}: not a regular file (a socket)", Assert.Single(errors));
    }

    [Fact]
    public async Task ALinkToADeviceIsRefusedAndNeverRead()
    {
        using var dir = new TempDir();
        var folder = Directory.CreateDirectory(dir.File("in")).FullName;
        File.Copy(Seed("000"), Path.Combine(folder, "good.txt"));
        var zero = Path.Combine(folder, "zero");
        File.CreateSymbolicLink(zero, "/dev/zero");
        var warc = Path.Combine(folder, "zero.warc");
        File.CreateSymbolicLink(warc, "/dev/zero");
        var (errors, docs) = await Ingest(dir, folder, warc);
        Assert.Equal(
            [$"sitrep: {warc}: not a regular file (a character device behind a symbolic link)", $"sitrep: {zero}: not a regular file (a character device behind a symbolic link)"],
            errors.Order(StringComparer.Ordinal));
        Assert.Equal(2, docs.Count);
    }

    [Fact]
    public async Task ALinkLoopIsWalkedOnceAndEachFileReadOnce()
    {
        using var dir = new TempDir();
        var folder = Directory.CreateDirectory(dir.File("in")).FullName;
        var sub = Directory.CreateDirectory(Path.Combine(folder, "sub")).FullName;
        File.Copy(Seed("000"), Path.Combine(folder, "a.txt"));
        File.Copy(Seed("002"), Path.Combine(sub, "b.txt"));
        File.CreateSymbolicLink(Path.Combine(sub, "up"), "..");            // sub/up -> in (a loop)
        File.CreateSymbolicLink(Path.Combine(folder, "self"), ".");        // in/self -> in
        File.CreateSymbolicLink(Path.Combine(folder, "same.txt"), "a.txt"); // a second name for a.txt
        File.CreateSymbolicLink(Path.Combine(folder, "gone.txt"), "nowhere.txt");

        var files = new SourceLoader().Expand([folder, Path.Combine(folder, "a.txt")]).Files;
        Assert.Equal([Path.Combine(folder, "a.txt"), Path.Combine(folder, "gone.txt"), Path.Combine(sub, "b.txt")], files);

        var (errors, docs) = await Ingest(dir, folder);
        Assert.Equal($"sitrep: {Path.Combine(folder, "gone.txt")}: broken symbolic link (its target does not exist)", Assert.Single(errors));
        var paths = docs.SelectMany(d => d.Files).Where(f => f.StartsWith(folder, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([Path.Combine(folder, "a.txt"), Path.Combine(sub, "b.txt")], paths);
    }

    [Fact]
    public async Task AFileNameThatIsNotUtf8GetsAPreciseReason()
    {
        using var dir = new TempDir();
        var folder = Directory.CreateDirectory(dir.File("in")).FullName;
        File.Copy(Seed("000"), Path.Combine(folder, "good.txt"));
        Run("sh", "-c", "printf 'The council met on Tuesday.\\n' > \"$1/$(printf 'caf\\351.txt')\"", "sh", folder);
        var (errors, docs) = await Ingest(dir, folder);
        var line = Assert.Single(errors);
        Assert.Contains("not UTF-8", line);
        Assert.StartsWith($"sitrep: {folder}/caf", line);
        Assert.Contains(docs, d => d.Files.Contains(Path.Combine(folder, "good.txt")));
    }

    [Fact]
    public async Task ReadsStopAtTheSizeLimitWhateverTheLengthSaid()
    {
        using var dir = new TempDir();
        var path = dir.File("big.txt");
        using (var fs = File.Create(path)) fs.SetLength(SourceLoader.MaxFileBytes + 1);
        // Read directly (as if the length checked before had been smaller): the read itself is bounded.
        var e = await Assert.ThrowsAsync<InputRefusedException>(() => PhysicalInputFiles.Instance.ReadAllBytesAsync(path, default));
        Assert.Equal("file too large (over 50 MB when read; the limit is 50 MB)", e.Message);
    }

    // ------------------------------------------------------------------ WARC

    private static void WriteGzipMember(Stream file, byte[] data)
    {
        using var gz = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true);
        gz.Write(data);
    }

    private static byte[] WarcHead(IEnumerable<string> extraHeaders, int contentLength)
    {
        var sb = new StringBuilder("WARC/1.1\r\nWARC-Type: warcinfo\r\n");
        foreach (var h in extraHeaders) sb.Append(h).Append("\r\n");
        sb.Append($"Content-Length: {contentLength}\r\n\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    [Fact]
    public async Task AWarcRecordWithAFloodOfHeadersIsRefusedNamingTheLimit()
    {
        using var dir = new TempDir();
        var good = dir.File("good.warc.gz");
        using (var w = new Sitrep.Tests.Web.TestWarcWriter(good))
            w.Response("https://news.example/floods", 200, "text/html; charset=utf-8",
                Encoding.UTF8.GetBytes(Sitrep.Tests.Web.WebFixtures.Article("Floods force thousands from homes", "Ana Silva", Sitrep.Tests.Web.WebFixtures.FloodStory)));
        var wide = dir.File("wide.warc.gz");
        using (var f = File.Create(wide))
        {
            // 200 distinct header lines of 20 KB: 4 MB of headers in one record (the limit is 1 MB).
            var filler = new string('x', 20_000);
            WriteGzipMember(f, WarcHead(Enumerable.Range(0, 200).Select(i => $"X-Filler-{i}: {filler}"), 0));
        }
        var many = dir.File("many.warc");
        File.WriteAllBytes(many, [.. WarcHead(Enumerable.Range(0, 1500).Select(i => $"X-{i}: y"), 0)]);

        var (errors, docs) = await Ingest(dir, good, wide, many);
        Assert.Equal(
            [$"sitrep: {many}: record 0: more than 1000 WARC header lines (the limit)", $"sitrep: {wide}: record 0: WARC headers longer than 1048576 bytes (the limit)"],
            errors.Order(StringComparer.Ordinal));
        Assert.Contains(docs, d => d.Files.Any(p => p.StartsWith(good, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AGzipBombInAWarcIsCutAtTheRatio()
    {
        using var dir = new TempDir();
        var bomb = dir.File("bomb.warc.gz");
        int size = 20 << 20; // 20 MB of zeros compress about 1000 to 1
        using (var f = File.Create(bomb))
        using (var gz = new GZipStream(f, CompressionLevel.Optimal))
        {
            gz.Write(WarcHead([], size));
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 20; i++) gz.Write(zeros);
        }
        var source = new WarcSource { Limits = WarcLimits.Default with { RatioGraceBytes = 1 << 20 } };
        var inputs = new List<SourceInput>();
        await foreach (var i in source.ReadAsync(bomb)) inputs.Add(i);
        Assert.Equal("record 0: decompressed data more than 100 times the compressed size (the limit; a gzip bomb?)", Assert.Single(inputs).Problem!.Reason);

        var absolute = new WarcSource { Limits = WarcLimits.Default with { MaxDecompressedBytes = 4 << 20 } };
        inputs.Clear();
        await foreach (var i in absolute.ReadAsync(bomb)) inputs.Add(i);
        Assert.Equal("record 0: decompressed data larger than 4194304 bytes (the limit)", Assert.Single(inputs).Problem!.Reason);
    }

    [Fact]
    public async Task AnEmptyWarcFileSaysSo()
    {
        using var dir = new TempDir();
        var empty = dir.File("empty.warc");
        File.WriteAllBytes(empty, []);
        var blank = dir.File("blank.warc");
        File.WriteAllText(blank, "\r\n\r\n\n");
        var (errors, _) = await Ingest(dir, empty, blank);
        Assert.Equal([$"sitrep: {blank}: no WARC records (only blank lines)", $"sitrep: {empty}: empty WARC file (no records)"], errors.Order(StringComparer.Ordinal));
    }

    // ------------------------------------------------------------------ nesting

    private static int DomDepth(INode root)
    {
        int max = 0;
        var stack = new Stack<(INode, int)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (n, d) = stack.Pop();
            max = Math.Max(max, d);
            foreach (var c in n.ChildNodes) if (c is IElement) stack.Push((c, d + 1));
        }
        return max;
    }

    [Theory]
    [InlineData("<div>", "</div>")]
    [InlineData("<span class=x>", "</span>")]
    [InlineData("<table><tr><td>", "")]
    [InlineData("<ul><li>", "")]
    [InlineData("<font size=2>", "")]
    public void DeepNestingIsFlattenedBeforeParsingAndTheTextKept(string open, string close)
    {
        const int n = 100_000;
        var sentence = "The council met on Tuesday to discuss the budget for next year, officials said. ";
        var html = "<!doctype html><html><head><title>Budget</title></head><body>" + string.Concat(Enumerable.Repeat(open, n))
                 + sentence + sentence + sentence + string.Concat(Enumerable.Repeat(close, n)) + "</body></html>";
        var sw = Stopwatch.StartNew();
        var limited = NestingLimiter.Limit(html, NestingLimiter.MaxDepth, out int removed);
        Assert.True(removed > n / 2);
        using var doc = new HtmlParser().ParseDocument(limited);
        Assert.InRange(DomDepth(doc), 1, 4 * NestingLimiter.MaxDepth);
        var (doc2, problem) = SourceLoader.Decode("deep.html", Encoding.UTF8.GetBytes(html));
        Assert.Null(problem);
        Assert.Contains("The council met on Tuesday", doc2!.Text);
        // Before the limit this took minutes (quadratic); a generous guard against that coming back.
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"took {sw.Elapsed}");
    }

    [Fact]
    public void PagesWithinTheLimitAreLeftAsTheyAre()
    {
        var pages = Directory.EnumerateFiles(Path.Combine(TestPaths.Data, "extraction"), "*.htm*", SearchOption.AllDirectories).Take(60).ToList();
        Assert.NotEmpty(pages);
        foreach (var p in pages)
        {
            var html = File.ReadAllText(p);
            Assert.Same(html, NestingLimiter.Limit(html, NestingLimiter.MaxDepth, out int removed));
            Assert.Equal(0, removed);
        }
        // Unclosed paragraphs and list items do not count as nesting, nor do raw text and comments.
        var soup = "<body>" + string.Concat(Enumerable.Repeat("<p>x<li>y<td>z", 2000)) + "<script>" + string.Concat(Enumerable.Repeat("<div>", 1000)) + "</script><!--"
                 + string.Concat(Enumerable.Repeat("<div>", 1000)) + "--><div title='<div><div>'>ok</div></body>";
        Assert.Same(soup, NestingLimiter.Limit(soup, NestingLimiter.MaxDepth, out _));
    }

    // ------------------------------------------------------------------ feeds

    [Fact]
    public void FeedsNestedTooDeepOrTooLongAreRefusedNamingTheLimit()
    {
        var baseUrl = new Uri("https://news.example/");
        var deep = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><title>A</title><description>"
                 + string.Concat(Enumerable.Repeat("<x>", 50_000)) + "hi" + string.Concat(Enumerable.Repeat("</x>", 50_000)) + "</description></item></channel></rss>";
        var (feed, error) = FeedParser.Parse(Encoding.UTF8.GetBytes(deep), baseUrl);
        Assert.Null(feed);
        Assert.Equal($"feed elements nested deeper than {FeedParser.MaxDepth} (the limit), at line 1", error);

        string Items(int count) => "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>"
            + string.Concat(Enumerable.Range(0, count).Select(i => $"<item><title>Story {i}</title><link>https://news.example/{i}</link></item>")) + "</channel></rss>";
        (feed, error) = FeedParser.Parse(Encoding.UTF8.GetBytes(Items(FeedParser.MaxItems + 1)), baseUrl);
        Assert.Null(feed);
        Assert.Equal("feed has more than 10000 items (the limit)", error);
        (feed, error) = FeedParser.Parse(Encoding.UTF8.GetBytes(Items(FeedParser.MaxItems)), baseUrl);
        Assert.Null(error);
        Assert.Equal(FeedParser.MaxItems, feed!.Entries.Count);
    }
}
