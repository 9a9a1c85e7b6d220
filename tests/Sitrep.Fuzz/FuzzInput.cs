namespace Sitrep.Fuzz;

public enum InputKind { Text, Html, Warc, Feed }

/// <summary>A page a feed input links to; served by the harness's loopback server at <see cref="Path"/>.</summary>
public sealed record LinkedPage(string Path, byte[] Body, string ContentType);

/// <summary>
/// One fuzz input: a file (text, HTML or WARC) or a feed (served over loopback HTTP with its linked pages).
/// <see cref="Name"/> is the file name; <see cref="RawName"/>, when set, is a file name that is not valid UTF-8 (Linux only).
/// </summary>
public sealed record FuzzInput(long Index, InputKind Kind, string Name, byte[] Bytes, string Recipe)
{
    public byte[]? RawName { get; init; }
    public IReadOnlyList<LinkedPage> Pages { get; init; } = [];
    public long Size => Bytes.LongLength + Pages.Sum(p => (long)p.Body.Length);
    /// <summary>A word (letters only) taken from the input before mutation, for `search`.</summary>
    public string? Word { get; init; }
}
