namespace Sitrep.Ingest.Html;

/// <summary>
/// The class/id vocabulary of page templates: words that mark article bodies and words that mark boilerplate
/// (comments, sharing, related links, newsletters, navigation...). General web-template vocabulary in the spirit
/// of Readability's and trafilatura's lists; nothing here names a site.
/// </summary>
internal static class Vocabulary
{
    /// <summary>Names that mark the article body container itself.</summary>
    private static readonly string[] BodyMarkers =
    [
        "article-body", "articlebody", "article__body", "article_body", "story-body", "storybody", "story__body", "post-body", "postbody",
        "post-content", "post_content", "entry-content", "entry_content", "article-content", "articlecontent", "article__content",
        "article_content", "story-content", "storycontent", "body-text", "bodytext", "article-text", "articletext", "story-text",
        "article__text", "content-body", "article-main", "post-text", "entry-body", "news-body", "newsbody", "article-detail", "articledetail",
    ];

    /// <summary>Names that mark the lead (standfirst, dek, summary) that many templates put above the body.</summary>
    private static readonly string[] LeadMarkers =
    [
        "intro", "lead", "summary", "excerpt", "teaser-text", "chapo", "chapeau", "bajada", "standfirst", "subtitle", "sub-title",
        "subhead", "article-desc", "abstract", "sumario", "entradilla", "occhiello", "dek",
    ];

    /// <summary>Names that mark a block as boilerplate wherever it is.</summary>
    private static readonly string[] Strong =
    [
        "comment", "share", "sharing", "social", "related", "newsletter", "subscri", "cookie", "consent", "outbrain", "taboola",
        "recommend", "breadcrumb", "mostread", "most-read", "most_read", "popular", "trending", "sidebar", "widget", "advert",
        "promo", "sponsor", "paywall", "signup", "sign-up", "author-bio", "authorbio", "about-author", "footer", "skip-link",
        "read-more", "readmore", "more-stories", "morestories", "further-reading", "also-read", "taglist", "tag-list", "article-tags",
        "post-tags", "entry-tags", "pagination", "pager", "toolbar", "masthead", "disclaimer", "byline", "dateline-share", "print-only",
        "entry-meta", "post-meta", "postmeta", "article-meta", "print", "wishlist", "caption", "credit", "copyright", "login", "modal", "twitter-tweet", "instagram-media", "tiktok-embed", "fb-post", "fb-video", "imagedesc", "image-desc", "image_desc", "img-desc", "img_desc", "imgdesc", "photo-desc", "bildunterschrift", "kommentar", "comentario", "commentaire", "affiliate", "author-card", "author-box", "authorbox", "about-the-author", "werbung", "publicidad", "dialog", "lightbox", "offcanvas", "off-canvas", "popup", "overlay", "banner", "rating", "teaser-list", "next-article", "prev-article", "jump-link",
    ];

    /// <summary>Names that count against a block as a candidate but do not remove it.</summary>
    private static readonly string[] Weak =
    [
        "meta", "nav", "menu", "header", "hidden", "media", "aside", "contact", "combx", "shopping", "teaser",
        "extra", "tool", "icon", "date", "author", "info", "label", "badge", "gallery", "slideshow", "carousel", "slider",
    ];

    private static readonly string[] Positive =
    [
        "article", "body", "content", "entry", "hentry", "h-entry", "main", "post", "text", "blog", "story", "prose", "paragraph", "news",
    ];

    private static readonly HashSet<string> AdTokens = new(StringComparer.Ordinal) { "ad", "ads", "adv", "advert", "advertisement", "dfp", "adslot", "adunit" };

    /// <summary>
    /// Openings of short lines that are page furniture in any template: photo credits, advertising labels, calls
    /// to subscribe, follow or share, "read also" pointers. Multilingual (en, de, fr, es, it, pt, pl, nl).
    /// </summary>
    private static readonly string[] BoilerplateLineStarts =
    [
        "foto:", "fotos:", "photo:", "photos:", "bild:", "bilder:", "image:", "credit:", "credits:", "crédit", "crédito", "fuente:", "quelle:",
        "titelbild", "copyright", "©", "(c) ", "anzeige", "werbung", "advertisement", "publicité", "publicidad", "pubblicità", "reklama",
        "subscribe", "abonnieren", "abonnez", "suscríbete", "suscribete", "iscriviti", "assine", "zapisz się",
        "follow us", "follow the ", "folgen sie", "folge uns", "suivez-nous", "síguenos", "seguici",
        "sign up", "melden sie sich", "newsletter", "inscrivez-vous", "share this", "teilen sie", "partager", "compartir",
        "read more", "read also", "also read", "lesen sie auch", "lesen sie mehr", "mehr zum thema", "das könnte sie auch interessieren",
        "auch interessant", "weitere artikel", "lire aussi", "à lire aussi", "lee también", "leer más", "te puede interesar", "leggi anche",
        "czytaj także", "czytaj też", "zobacz też", "lees ook", "related:", "related articles", "related stories", "more from",
        "you may also like", "you might also like", "recommended for you", "zurück zur", "back to top", "nach oben", "drucken", "print this",
    ];

    /// <summary>A short line (under 160 characters) that opens like page furniture.</summary>
    public static bool IsBoilerplateLine(System.Text.StringBuilder sb, int start, int length)
    {
        if (length < 300 && EndsWithCredit(sb, start, length)) return true;
        if (length >= 160) return false;
        Span<char> head = stackalloc char[Math.Min(length, 40)];
        for (int i = 0; i < head.Length; i++) head[i] = char.ToLowerInvariant(sb[start + i]);
        foreach (var p in BoilerplateLineStarts)
            if (head.StartsWith(p, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>
    /// A caption that ends with its photo credit: "The minister in Brussels. © AFP / Jane Doe", "Foto © Agency".
    /// The last '©' sits in the final 50 characters and only a few words (the credit) follow it.
    /// </summary>
    private static bool EndsWithCredit(System.Text.StringBuilder sb, int start, int length)
    {
        int end = start + length;
        for (int i = end - 1; i >= start && i >= end - 50; i--)
        {
            if (sb[i] != '©') continue;
            int words = 0;
            bool inWord = false;
            for (int k = i + 1; k < end; k++)
            {
                bool w = char.IsLetterOrDigit(sb[k]);
                if (w && !inWord) words++;
                inWord = w;
            }
            return words is > 0 and <= 6 && sb[end - 1] is not ('.' or '!' or '?');
        }
        return false;
    }

    /// <summary>Social networks and app stores: a short closing line naming one is a "follow us / get our app" prompt.</summary>
    private static readonly string[] Platforms =
    [
        "twitter", "facebook", "instagram", "telegram", "whatsapp", "youtube", "tiktok", "linkedin", "google news", "ios", "android",
        "app store", "google play",
    ];

    /// <summary>
    /// A line under 250 characters that names a social network or app store as a whole word: at the end of the
    /// body that is a prompt to follow the site or install its app, not the article.
    /// </summary>
    public static bool IsPlatformPromo(System.Text.StringBuilder sb, int start, int length)
    {
        if (length >= 250) return false;
        var line = sb.ToString(start, length).ToLowerInvariant();
        foreach (var p in Platforms)
        {
            int i = line.IndexOf(p, StringComparison.Ordinal);
            while (i >= 0)
            {
                bool left = i == 0 || !char.IsLetter(line[i - 1]);
                bool right = i + p.Length == line.Length || !(char.IsLetter(line[i + p.Length]) || line[i + p.Length] == '-');
                if (left && right) return true;
                i = line.IndexOf(p, i + 1, StringComparison.Ordinal);
            }
        }
        return false;
    }

    /// <summary>Weighs a class or id value; sets <see cref="CNode.Boilerplate"/> and <see cref="CNode.BodyMarker"/> on the node.</summary>
    public static int Weigh(string value, CNode node)
    {
        var v = value.ToLowerInvariant();
        foreach (var m in LeadMarkers)
            if (v.Contains(m, StringComparison.Ordinal)) { node.Lead = true; break; }
        foreach (var m in BodyMarkers)
            if (v.Contains(m, StringComparison.Ordinal)) { node.BodyMarker = true; return 40; }
        bool strong = false;
        foreach (var s in Strong)
            if (v.Contains(s, StringComparison.Ordinal)) { strong = true; break; }
        if (!strong)
        {
            foreach (var tok in v.Split([' ', '-', '_', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
                if (AdTokens.Contains(tok)) { strong = true; break; }
        }
        if (strong) { node.Boilerplate = true; return -25; }
        int w = 0;
        foreach (var s in Weak)
            if (v.Contains(s, StringComparison.Ordinal)) { w -= 25; break; }
        foreach (var p in Positive)
            if (v.Contains(p, StringComparison.Ordinal)) { w += 25; break; }
        return w;
    }
}
