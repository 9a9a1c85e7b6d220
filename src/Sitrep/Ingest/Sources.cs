using System.Runtime.InteropServices;
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

/// <summary>A file the loader refuses to read, with the one-line reason (not a regular file, too large, broken link...).</summary>
public sealed class InputRefusedException(string reason) : IOException(reason);

/// <summary>The file system as the loader sees it; tests substitute failures (permissions, I/O errors) through it.</summary>
public interface IInputFiles
{
    bool FileExists(string path);
    bool DirectoryExists(string path);
    IEnumerable<string> EnumerateFiles(string directory);
    long Length(string path);
    Task<byte[]> ReadAllBytesAsync(string path, CancellationToken ct);

    /// <summary>What identifies a file whatever path leads to it (symbolic links resolved); duplicates are read once.</summary>
    string Identity(string path) => Path.GetFullPath(path);

    /// <summary>Why a path that is neither a file nor a folder cannot be found, when more can be said than "no such file".</summary>
    string? WhyMissing(string path) => null;
}

/// <summary>
/// The real file system, read defensively: only regular files are read (a FIFO, socket or device — directly or
/// through a symbolic link — is refused before it is opened, so nothing blocks or streams forever); reads stop at
/// <see cref="SourceLoader.MaxFileBytes"/> whatever length the file claims or grows to; a folder walk follows a
/// symbolic link to a folder only to a folder not walked yet, so a link loop is walked once.
/// </summary>
public sealed class PhysicalInputFiles : IInputFiles
{
    public static readonly PhysicalInputFiles Instance = new();

    public bool FileExists(string path) => UnixFile.Stat(path) is { } st ? st.Kind != UnixFile.Kind.Directory : File.Exists(path) || UnixFile.IsLink(path);
    public bool DirectoryExists(string path) => Directory.Exists(path);

    public long Length(string path)
    {
        var why = WhyNotRegular(path);
        if (why != null) throw new InputRefusedException(why);
        return UnixFile.Stat(path)?.Size ?? new FileInfo(path).Length;
    }

    /// <summary>Null for a regular file (or a link to one), else the one-line reason it is not read.</summary>
    public static string? WhyNotRegular(string path)
    {
        var st = UnixFile.Stat(path);
        if (st == null)
        {
            if (UnixFile.IsLink(path)) return "broken symbolic link (its target does not exist)";
            return null; // not a Unix-like system, or gone: the read reports it
        }
        return st.Value.Kind switch
        {
            UnixFile.Kind.Regular => null,
            UnixFile.Kind.Directory => "is a folder",
            var k => $"not a regular file ({UnixFile.Describe(k)}{(UnixFile.IsLink(path) ? " behind a symbolic link" : "")})",
        };
    }

    public async Task<byte[]> ReadAllBytesAsync(string path, CancellationToken ct)
    {
        var why = WhyNotRegular(path);
        if (why != null) throw new InputRefusedException(why);
        await using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        // Read at most one byte past the limit, whatever the length says: a file may grow, or lie about its size.
        long max = SourceLoader.MaxFileBytes;
        long claimed = fs.CanSeek ? fs.Length : 0;
        var buffer = new byte[Math.Clamp(claimed, 0, max) + 1];
        int got = 0;
        while (true)
        {
            if (got == buffer.Length)
            {
                if (buffer.Length > max) throw new InputRefusedException(SourceLoader.TooLarge(null));
                Array.Resize(ref buffer, (int)Math.Min(max + 1, Math.Max(buffer.Length * 2L, 1 << 16)));
            }
            int n = await fs.ReadAsync(buffer.AsMemory(got), ct).ConfigureAwait(false);
            if (n == 0) break;
            got += n;
        }
        if (got > max) throw new InputRefusedException(SourceLoader.TooLarge(null));
        if (got < buffer.Length) Array.Resize(ref buffer, got);
        return buffer;
    }

    public string Identity(string path) => UnixFile.RealPath(path) ?? Path.GetFullPath(path);

    public string? WhyMissing(string path)
    {
        if (UnixFile.IsLink(path)) return "broken symbolic link (its target does not exist)";
        if (path.Contains('\uFFFD'))
            return "no such file or folder (the name has bytes that are not UTF-8, which .NET cannot open; rename the file)";
        return null;
    }

    /// <summary>
    /// Every file under a folder (recursively, hidden entries skipped), each file once: a folder reached again through
    /// a symbolic link is not walked again, and two paths to one file (links) give the first in order.
    /// Entries that are not regular files are listed too, so the loader names them and says why it refused them.
    /// </summary>
    public IEnumerable<string> EnumerateFiles(string directory)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = false, AttributesToSkip = FileAttributes.Hidden };
        var walked = new HashSet<string>(StringComparer.Ordinal) { Identity(directory) };
        var seenFiles = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(directory);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            var entries = Directory.EnumerateFileSystemEntries(dir, "*", options).ToList();
            entries.Sort(StringComparer.Ordinal);
            var subdirs = new List<string>();
            foreach (var entry in entries)
            {
                bool isDir = UnixFile.Stat(entry) is { } st ? st.Kind == UnixFile.Kind.Directory : Directory.Exists(entry);
                if (isDir)
                {
                    if (walked.Add(Identity(entry))) subdirs.Add(entry);
                    continue;
                }
                if (seenFiles.Add(Identity(entry))) yield return entry;
            }
            for (int i = subdirs.Count - 1; i >= 0; i--) pending.Push(subdirs[i]);
        }
    }
}

/// <summary>
/// The file type, size and real path of a path, from the .NET runtime's own native shim (<c>SystemNative_Stat</c>,
/// whose FileStatus layout .NET defines the same on every Unix). Null where that is unavailable (Windows).
/// </summary>
internal static class UnixFile
{
    public enum Kind { Other, Regular, Directory, Fifo, CharDevice, BlockDevice, Socket, Link }

    public readonly record struct Status(Kind Kind, long Size);

    // DllImport rather than LibraryImport: the library compiles without unsafe code. Strings marshal as UTF-8 on Unix.
#pragma warning disable SYSLIB1054, CA2101
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
    private static extern int NativeStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] status);

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat")]
    private static extern int NativeLStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] status);

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_RealPath")]
    private static extern nint NativeRealPath([MarshalAs(UnmanagedType.LPUTF8Str)] string path);
#pragma warning restore SYSLIB1054, CA2101

    // Checked once: the shim answers, and says "/" is a directory (so the layout read below is the one expected).
    private static readonly bool Available = !OperatingSystem.IsWindows() && SelfCheck();

    private static bool SelfCheck()
    {
        try
        {
            var buf = new byte[256];
            return NativeStat("/", buf) == 0 && (BitConverter.ToInt32(buf, 4) & 0xF000) == 0x4000;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    /// <summary>The status of what the path leads to (links followed); null when it does not exist or cannot be asked.</summary>
    public static Status? Stat(string path) => Call(path, follow: true);

    /// <summary>True when the path itself is a symbolic link (whether or not its target exists).</summary>
    public static bool IsLink(string path)
    {
        if (Call(path, follow: false) is { } st) return st.Kind == Kind.Link;
        try { return new FileInfo(path).LinkTarget != null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { return false; }
    }

    private static Status? Call(string path, bool follow)
    {
        if (!Available) return null;
        try
        {
            var buf = new byte[256]; // FileStatus: int Flags, int Mode, uint Uid, uint Gid, long Size, ... (under 200 bytes)
            int rc = follow ? NativeStat(path, buf) : NativeLStat(path, buf);
            if (rc != 0) return null;
            int mode = BitConverter.ToInt32(buf, 4);
            var kind = (mode & 0xF000) switch
            {
                0x8000 => Kind.Regular, 0x4000 => Kind.Directory, 0x1000 => Kind.Fifo, 0x2000 => Kind.CharDevice,
                0x6000 => Kind.BlockDevice, 0xC000 => Kind.Socket, 0xA000 => Kind.Link, _ => Kind.Other,
            };
            return new Status(kind, BitConverter.ToInt64(buf, 16));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return null; }
    }

    /// <summary>The absolute path with every symbolic link resolved, or null.</summary>
    public static string? RealPath(string path)
    {
        if (!Available) return null;
        try
        {
            nint p = NativeRealPath(path);
            if (p == 0) return null;
            try { return Marshal.PtrToStringUTF8(p); }
            finally { Marshal.FreeHGlobal(p); }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return null; }
    }

    public static string Describe(Kind k) => k switch
    {
        Kind.Fifo => "a FIFO",
        Kind.CharDevice => "a character device",
        Kind.BlockDevice => "a block device",
        Kind.Socket => "a socket",
        _ => "a special file",
    };
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
        var byIdentity = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<InputProblem>();
        int skipped = 0;
        // One file reached by two paths (a link, a folder named twice, a relative and an absolute path) is read once.
        void Add(string f)
        {
            string id;
            try { id = _files.Identity(f); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { id = f; }
            if (byIdentity.TryGetValue(id, out var other))
            {
                if (StringComparer.Ordinal.Compare(f, other) >= 0) return;
                found.Remove(other);
            }
            byIdentity[id] = f;
            found.Add(f);
        }
        foreach (var raw in paths)
        {
            var path = raw;
            if (_files.FileExists(path)) { Add(path); continue; }
            if (_files.DirectoryExists(path))
            {
                try
                {
                    foreach (var f in _files.EnumerateFiles(path))
                    {
                        if (TextExtensions.Contains(Path.GetExtension(f))) Add(f);
                        else skipped++;
                    }
                }
                catch (Exception e) when (e is UnauthorizedAccessException or IOException)
                {
                    problems.Add(new InputProblem(path, "cannot list folder: " + OneLine(e.Message)));
                }
                continue;
            }
            problems.Add(new InputProblem(path, _files.WhyMissing(path) ?? "no such file or folder"));
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
            if (length > MaxFileBytes) return (null, new InputProblem(path, TooLarge(length)));
            bytes = await _files.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
        }
        catch (InputRefusedException e)
        {
            return (null, new InputProblem(path, e.Message));
        }
        catch (UnauthorizedAccessException)
        {
            return (null, new InputProblem(path, "permission denied (file is not readable)"));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, new InputProblem(path, _files.WhyMissing(path) ?? "no such file"));
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
        if (bytes.Length > MaxFileBytes) return (null, new InputProblem(path, TooLarge(bytes.Length)));
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

    /// <summary>"file too large (51.0 MB; the limit is 50 MB)", or "(over 50 MB...)" when the size is not known (a file that grew).</summary>
    public static string TooLarge(long? bytes) =>
        $"file too large ({(bytes is { } b ? $"{b / (1024.0 * 1024):F1} MB" : $"over {MaxFileBytes / (1024 * 1024)} MB when read")}; the limit is {MaxFileBytes / (1024 * 1024)} MB)";

    public static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();
}
