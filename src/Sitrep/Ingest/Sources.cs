using System.Security.Cryptography;

namespace Sitrep.Ingest;

public enum DocumentFormat { Text, Html }

/// <summary>
/// One input file, decoded. <see cref="Text"/> is what every offset in the model points into: the decoded file
/// for plain text, the extracted text for HTML. <see cref="Id"/> is derived from the file's bytes.
/// </summary>
public sealed record SourceDocument(
    string Path,
    string Id,
    string Text,
    string Encoding,
    DocumentFormat Format,
    long Bytes,
    PageMetadata? Page = null);

/// <summary>
/// What an HTML page says about itself (title, site, author), when it says it. <see cref="Author"/> is the authors
/// joined with ", "; <see cref="Authors"/> lists them one by one. Dates are as the page gives them (usually ISO 8601).
/// </summary>
public sealed record PageMetadata(string? Title, string? SiteName, string? Author, string? Published, string? Url, string? Language,
    IReadOnlyList<string>? Authors = null, string? Modified = null, string? Description = null);

/// <summary>A file that could not be taken, with a one-line reason.</summary>
public sealed record InputProblem(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}

/// <summary>The file system as the loader sees it; tests substitute failures (permissions, I/O errors) through it.</summary>
public interface IInputFiles
{
    bool FileExists(string path);
    bool DirectoryExists(string path);
    IEnumerable<string> EnumerateFiles(string directory);
    long Length(string path);
    Task<byte[]> ReadAllBytesAsync(string path, CancellationToken ct);
}

public sealed class PhysicalInputFiles : IInputFiles
{
    public static readonly PhysicalInputFiles Instance = new();
    public bool FileExists(string path) => File.Exists(path);
    public bool DirectoryExists(string path) => Directory.Exists(path);
    public IEnumerable<string> EnumerateFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = FileAttributes.Hidden });
    public long Length(string path) => new FileInfo(path).Length;
    public Task<byte[]> ReadAllBytesAsync(string path, CancellationToken ct) => File.ReadAllBytesAsync(path, ct);
}

/// <summary>Expands paths into files and loads each one, turning every failure into an <see cref="InputProblem"/>.</summary>
public sealed class SourceLoader(IInputFiles? files = null)
{
    public const long MaxFileBytes = 50L * 1024 * 1024;

    /// <summary>Extensions read when walking a folder; a file named explicitly is always read.</summary>
    public static readonly IReadOnlySet<string> TextExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { ".txt", ".text", ".md", ".html", ".htm", ".xhtml", "" };

    private readonly IInputFiles _files = files ?? PhysicalInputFiles.Instance;

    /// <summary>Expands files and folders (recursively) into a sorted list of files, plus the paths that do not exist.</summary>
    public (List<string> Files, List<InputProblem> Problems, int Skipped) Expand(IEnumerable<string> paths)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var problems = new List<InputProblem>();
        int skipped = 0;
        foreach (var raw in paths)
        {
            var path = raw;
            if (_files.FileExists(path)) { found.Add(path); continue; }
            if (_files.DirectoryExists(path))
            {
                try
                {
                    foreach (var f in _files.EnumerateFiles(path))
                    {
                        if (TextExtensions.Contains(Path.GetExtension(f))) found.Add(f);
                        else skipped++;
                    }
                }
                catch (Exception e) when (e is UnauthorizedAccessException or IOException)
                {
                    problems.Add(new InputProblem(path, "cannot list folder: " + OneLine(e.Message)));
                }
                continue;
            }
            problems.Add(new InputProblem(path, "no such file or folder"));
        }
        return (found.ToList(), problems, skipped);
    }

    /// <summary>Reads and decodes one file. Returns the document or the reason it cannot be used.</summary>
    public async Task<(SourceDocument? Document, InputProblem? Problem)> LoadAsync(string path, CancellationToken ct)
    {
        byte[] bytes;
        try
        {
            long length = _files.Length(path);
            if (length > MaxFileBytes)
                return (null, new InputProblem(path, $"file too large ({length / (1024.0 * 1024):F1} MB; the limit is {MaxFileBytes / (1024 * 1024)} MB)"));
            bytes = await _files.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException)
        {
            return (null, new InputProblem(path, "permission denied (file is not readable)"));
        }
        catch (FileNotFoundException)
        {
            return (null, new InputProblem(path, "no such file"));
        }
        catch (IOException e)
        {
            return (null, new InputProblem(path, "cannot read: " + OneLine(e.Message)));
        }
        return Decode(path, bytes);
    }

    /// <summary>Turns a file's bytes into a document (pure: no I/O).</summary>
    public static (SourceDocument? Document, InputProblem? Problem) Decode(string path, byte[] bytes)
    {
        if (bytes.Length > MaxFileBytes)
            return (null, new InputProblem(path, $"file too large ({bytes.Length / (1024.0 * 1024):F1} MB; the limit is {MaxFileBytes / (1024 * 1024)} MB)"));
        if (bytes.Length == 0) return (null, new InputProblem(path, "empty file"));
        var notText = ContentSniffer.WhyNotText(bytes);
        if (notText != null) return (null, new InputProblem(path, notText));
        var decoded = TextDecoder.Decode(bytes);
        if (string.IsNullOrWhiteSpace(decoded.Text)) return (null, new InputProblem(path, "empty file (only white space)"));
        var id = ContentId(bytes);
        if (ContentSniffer.LooksLikeHtml(decoded.Text, Path.GetExtension(path).ToLowerInvariant()))
        {
            var page = HtmlText.Extract(decoded.Text);
            if (string.IsNullOrWhiteSpace(page.Text)) return (null, new InputProblem(path, "no article found (HTML page has no text)"));
            return (new SourceDocument(path, id, page.Text, decoded.Encoding, DocumentFormat.Html, bytes.Length, page.Metadata), null);
        }
        return (new SourceDocument(path, id, decoded.Text, decoded.Encoding, DocumentFormat.Text, bytes.Length), null);
    }

    /// <summary>A document id: the first 128 bits of the SHA-256 of its bytes, in hex.</summary>
    public static string ContentId(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes, hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    public static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();
}
