namespace Sitrep.Store;

/// <summary>The tables of the cross-source model (schema v6; docs/architecture.md, "Store").</summary>
internal static class ModelSchema
{
    public const string Sql = """
        CREATE TABLE model_pending (article_id TEXT PRIMARY KEY) WITHOUT ROWID;
        CREATE TRIGGER model_article_added AFTER INSERT ON articles BEGIN INSERT OR IGNORE INTO model_pending (article_id) VALUES (new.id); END;
        CREATE TRIGGER model_article_removed AFTER DELETE ON articles BEGIN INSERT OR IGNORE INTO model_pending (article_id) VALUES (old.id); END;
        INSERT OR IGNORE INTO model_pending (article_id) SELECT id FROM articles;
        CREATE TABLE model_state (name TEXT PRIMARY KEY, version INTEGER NOT NULL, data BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE copies (
            article_id   TEXT PRIMARY KEY,
            duplicate_of TEXT,
            origin       TEXT NOT NULL,
            kind         TEXT,
            similarity   REAL,
            wire         TEXT,
            origin_key   TEXT NOT NULL,
            date         TEXT
        ) WITHOUT ROWID;
        CREATE INDEX copies_origin ON copies(origin);
        CREATE TABLE story_articles (
            article_id  TEXT PRIMARY KEY,
            story_id    TEXT NOT NULL,
            document_id TEXT NOT NULL,
            arrival     INTEGER NOT NULL,
            date        TEXT,
            label       TEXT NOT NULL,
            title       TEXT,
            outlet      TEXT,
            site        TEXT,
            url         TEXT
        ) WITHOUT ROWID;
        CREATE INDEX story_articles_story ON story_articles(story_id, date, label);
        CREATE TABLE story_merges (story_id TEXT PRIMARY KEY, into_id TEXT NOT NULL, arrival INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE stories (
            id         TEXT PRIMARY KEY,
            title      TEXT NOT NULL,
            articles   INTEGER NOT NULL,
            first_date TEXT,
            last_date  TEXT,
            claims     INTEGER NOT NULL,
            data       TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX stories_rank ON stories(articles DESC, last_date DESC, id);
        CREATE TABLE claims (
            story_id TEXT NOT NULL,
            ord      INTEGER NOT NULL,
            id       TEXT NOT NULL,
            status   TEXT NOT NULL,
            origins  INTEGER NOT NULL,
            data     TEXT NOT NULL,
            PRIMARY KEY (story_id, ord)
        ) WITHOUT ROWID;
        CREATE INDEX claims_status ON claims(status, story_id, ord);
        CREATE INDEX claims_id ON claims(id);
        CREATE TABLE claim_sources (
            story_id   TEXT NOT NULL,
            claim_ord  INTEGER NOT NULL,
            article_id TEXT NOT NULL,
            start      INTEGER NOT NULL,
            "end"      INTEGER NOT NULL,
            role       TEXT NOT NULL,
            PRIMARY KEY (story_id, claim_ord, article_id, start, role)
        ) WITHOUT ROWID;
        CREATE INDEX claim_sources_article ON claim_sources(article_id);
        CREATE TABLE threads (ord INTEGER PRIMARY KEY, id TEXT NOT NULL, data TEXT NOT NULL);
        CREATE TABLE closed_stories (story INTEGER PRIMARY KEY, first_date TEXT, last_date TEXT, data BLOB NOT NULL);
        CREATE INDEX closed_stories_dates ON closed_stories(last_date, first_date);
        """;
}
