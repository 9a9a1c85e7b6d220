using System.Text;

namespace Sitrep.Text.Ner;

/// <summary>One sentence of a CoNLL file: tokens and their NER tags (last column).</summary>
public sealed record ConllSentence(string[] Tokens, string[] Tags);

/// <summary>One document of a CoNLL file (documents are separated by -DOCSTART- lines).</summary>
public sealed record ConllDocument(IReadOnlyList<ConllSentence> Sentences)
{
    public int TokenCount => Sentences.Sum(s => s.Tokens.Length);
}

/// <summary>
/// Reads CoNLL-2003 style files: one token per line, whitespace-separated columns, the token first and the NER tag
/// last; blank lines end sentences; "-DOCSTART-" lines start documents. Tags may be IOB1 or IOB2 (or BIOES):
/// spans are recovered with conlleval's rules, so both read the same.
/// </summary>
public static class ConllReader
{
    /// <summary>Reads a file; throws <see cref="FormatException"/> naming the line on malformed input.</summary>
    public static IReadOnlyList<ConllDocument> Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Read(reader, path);
    }

    public static IReadOnlyList<ConllDocument> Read(TextReader reader, string name = "input")
    {
        var docs = new List<ConllDocument>();
        var sentences = new List<ConllSentence>();
        var tokens = new List<string>();
        var tags = new List<string>();
        int lineNo = 0;
        string? line;

        void EndSentence()
        {
            if (tokens.Count == 0) return;
            sentences.Add(new ConllSentence([.. tokens], [.. tags]));
            tokens.Clear();
            tags.Clear();
        }

        void EndDocument()
        {
            EndSentence();
            if (sentences.Count > 0) docs.Add(new ConllDocument([.. sentences]));
            sentences.Clear();
        }

        while ((line = reader.ReadLine()) != null)
        {
            lineNo++;
            var span = line.AsSpan().Trim();
            if (span.IsEmpty) { EndSentence(); continue; }
            if (span.StartsWith("-DOCSTART-", StringComparison.Ordinal)) { EndDocument(); continue; }
            int firstSpace = span.IndexOfAny(' ', '\t');
            if (firstSpace < 0) throw new FormatException($"{name}: line {lineNo}: expected at least two columns (token ... tag)");
            int lastSpace = span.LastIndexOfAny(' ', '\t');
            var tag = span[(lastSpace + 1)..];
            if (!Chunks.ParseTag(tag, out _, out _)) throw new FormatException($"{name}: line {lineNo}: unknown NER tag '{tag.ToString()}'");
            tokens.Add(span[..firstSpace].ToString());
            tags.Add(tag.ToString());
        }
        EndDocument();
        return docs;
    }
}

/// <summary>Builds <see cref="NerDocument"/>s from CoNLL data (a static extension: NerDocument lives in the runtime library).</summary>
internal static class NerDocumentConll
{
    extension(NerDocument)
    {
        /// <summary>Builds a document from CoNLL tokens (joined with spaces, sentences with newlines).</summary>
        public static NerDocument FromConll(ConllDocument doc)
        {
            var sb = new StringBuilder();
            var toks = new List<Token>();
            var sents = new List<SentenceSpan>();
            var gold = new List<Chunk>();
            foreach (var s in doc.Sentences)
            {
                if (sb.Length > 0) sb.Append('\n');
                int sentStart = sb.Length, firstTok = toks.Count;
                var types = new int[s.Tokens.Length];
                var parts = new TagPart[s.Tokens.Length];
                for (int i = 0; i < s.Tokens.Length; i++)
                {
                    if (i > 0) sb.Append(' ');
                    int st = sb.Length;
                    sb.Append(s.Tokens[i]);
                    toks.Add(new Token(st, sb.Length, TokenKind.Word));
                    Chunks.ParseTag(s.Tags[i], out types[i], out parts[i]);
                }
                Chunks.Extract(types, parts, firstTok, gold);
                sents.Add(new SentenceSpan(sentStart, sb.Length, firstTok, s.Tokens.Length));
            }
            return new NerDocument(sb.ToString(), [.. toks], [.. sents], gold);
        }
    }
}
