-- The first schema: uploads with their raw bytes, evaluation versions with everything the
-- upload said (raw and parsed), computed scores per rule set, findings and the audit log.
-- Nothing is ever deleted: a new upload or a restore adds a version, a recompute adds a run.
-- Money is in 万元 (DECIMAL, exact); rates are fractions (1 = 100 %).

-- One row per change to the data. data_version is the clock the dashboard caches on and the
-- `as_of` filter reads history by.
CREATE TABLE audit_log (
    data_version BIGINT PRIMARY KEY,
    action       VARCHAR NOT NULL CHECK (action IN ('ingest', 'restore', 'recompute')),
    happened_at  TIMESTAMP NOT NULL,
    actor        VARCHAR NOT NULL,
    upload_id    BIGINT,
    rule_set     VARCHAR,
    detail       VARCHAR NOT NULL
);

-- One row per accepted upload; rejected uploads store nothing.
CREATE TABLE uploads (
    upload_id     BIGINT PRIMARY KEY,
    sha256        VARCHAR NOT NULL UNIQUE,  -- of the sorted per-file digests: same bytes, same hash
    file_names    VARCHAR[] NOT NULL,
    size_bytes    BIGINT NOT NULL,
    n_rows        INTEGER NOT NULL,         -- funds, indicator and spending rows read
    n_evaluations INTEGER NOT NULL,
    uploaded_by   VARCHAR NOT NULL,
    uploaded_at   TIMESTAMP NOT NULL,
    status        VARCHAR NOT NULL CHECK (status IN ('stored')),
    data_version  BIGINT NOT NULL
);

-- The bytes as uploaded, so any version can be traced back to (and re-read from) its files.
CREATE TABLE upload_files (
    upload_id  BIGINT NOT NULL,
    file_no    INTEGER NOT NULL,
    name       VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256     VARCHAR NOT NULL,
    data       BLOB NOT NULL,
    PRIMARY KEY (upload_id, file_no)
);

-- One row per evaluation VERSION. Exactly one version per (year, department, project) is
-- current; versions count 1, 2, … and a restore copies an old one into a new version.
CREATE TABLE evaluations (
    evaluation_id  BIGINT PRIMARY KEY,
    year           INTEGER NOT NULL,
    department     VARCHAR NOT NULL,
    project        VARCHAR NOT NULL,
    version        INTEGER NOT NULL,
    is_current     BOOLEAN NOT NULL,
    upload_id      BIGINT NOT NULL,   -- where the content came from (kept by a restore)
    restored_from  INTEGER,           -- the version a restore copied, else NULL
    authority      VARCHAR NOT NULL,
    implementer    VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL,
    goal_expected  VARCHAR NOT NULL,
    goal_actual    VARCHAR NOT NULL,
    total_reported DECIMAL(12, 4),
    grade_reported VARCHAR,           -- as printed
    rule_set_named VARCHAR,           -- as named in the upload; NULL = the default
    rule_set       VARCHAR NOT NULL,  -- the rule set it was scored under as its own
    source_files   VARCHAR[] NOT NULL,
    data_version   BIGINT NOT NULL,   -- the audit_log entry that created this version
    created_at     TIMESTAMP NOT NULL,
    created_by     VARCHAR NOT NULL,
    UNIQUE (year, department, project, version)
);

CREATE TABLE funds_lines (
    evaluation_id           BIGINT NOT NULL,
    line_no                 INTEGER NOT NULL,
    source                  VARCHAR NOT NULL,
    initial_budget          DECIMAL(24, 6),
    annual_budget           DECIMAL(24, 6),
    executed                DECIMAL(24, 6),
    weight                  DECIMAL(12, 4),
    score_reported          DECIMAL(12, 4),
    execution_rate_reported DECIMAL(18, 8),
    source_file             VARCHAR,
    source_row              INTEGER,
    source_column           VARCHAR,
    PRIMARY KEY (evaluation_id, line_no)
);

-- Target and actual are kept as written (raw) and as parsed, so an evaluation can be
-- rescored under another rule set without the upload.
CREATE TABLE indicator_lines (
    line_id          BIGINT PRIMARY KEY,
    evaluation_id    BIGINT NOT NULL,
    line_no          INTEGER NOT NULL,
    level1           VARCHAR NOT NULL,
    level2           VARCHAR NOT NULL,
    name             VARCHAR NOT NULL,
    target_raw       VARCHAR NOT NULL,
    target_kind      VARCHAR NOT NULL,
    target_operator  VARCHAR,
    target_number    DECIMAL(38, 10),
    target_unit      VARCHAR,
    target_text      VARCHAR,
    target_year      INTEGER,
    target_month     INTEGER,
    target_confident BOOLEAN NOT NULL,
    target_note      VARCHAR,
    actual_raw       VARCHAR NOT NULL,
    actual_kind      VARCHAR NOT NULL,
    actual_operator  VARCHAR,
    actual_number    DECIMAL(38, 10),
    actual_unit      VARCHAR,
    actual_text      VARCHAR,
    actual_year      INTEGER,
    actual_month     INTEGER,
    actual_confident BOOLEAN NOT NULL,
    actual_note      VARCHAR,
    weight           DECIMAL(12, 4),
    score_reported   DECIMAL(12, 4),
    deviation_reason VARCHAR NOT NULL,
    method           VARCHAR,
    source_file      VARCHAR,
    source_row       INTEGER,
    source_column    VARCHAR,
    UNIQUE (evaluation_id, line_no)
);

CREATE TABLE expenditures (
    evaluation_id BIGINT NOT NULL,
    line_no       INTEGER NOT NULL,
    item          VARCHAR NOT NULL,
    executed      DECIMAL(24, 6) NOT NULL,
    annual_budget DECIMAL(24, 6),
    source_file   VARCHAR,
    source_row    INTEGER,
    source_column VARCHAR,
    PRIMARY KEY (evaluation_id, line_no)
);

-- One scoring run of one evaluation under one rule set. A recompute adds a newer run
-- (a higher data_version); readers take the latest run at or before the version they show.
CREATE TABLE scores (
    evaluation_id            BIGINT NOT NULL,
    rule_set                 VARCHAR NOT NULL,
    data_version             BIGINT NOT NULL,
    initial_budget           DECIMAL(24, 6),
    annual_budget            DECIMAL(24, 6),
    executed                 DECIMAL(24, 6),
    execution_rate           DECIMAL(18, 8),
    funds_weight             DECIMAL(12, 4) NOT NULL,
    funds_score_computed     DECIMAL(12, 4) NOT NULL,
    funds_score_reported     DECIMAL(12, 4),
    total_reported           DECIMAL(12, 4),
    total_computed           DECIMAL(12, 4) NOT NULL,
    grade_reported           VARCHAR,
    grade_reported_canonical VARCHAR,
    grade_computed           VARCHAR NOT NULL,
    PRIMARY KEY (evaluation_id, rule_set, data_version)
);

-- Per indicator line, the matching scoring run's result (no index: this is the big table).
CREATE TABLE indicator_scores (
    line_id        BIGINT NOT NULL,
    rule_set       VARCHAR NOT NULL,
    data_version   BIGINT NOT NULL,
    score_computed DECIMAL(12, 4),
    rule           VARCHAR NOT NULL,
    explanation    VARCHAR NOT NULL,
    counted        BOOLEAN NOT NULL,
    tier           VARCHAR
);

-- Findings stored with the data: warnings and infos (an upload with errors is not stored).
-- rule_set NULL = found while reading; otherwise found by the scoring run of that rule set
-- and data_version. evaluation_id NULL = about the upload's files as a whole.
CREATE TABLE findings (
    upload_id     BIGINT NOT NULL,
    evaluation_id BIGINT,
    rule_set      VARCHAR,
    data_version  BIGINT NOT NULL,
    severity      VARCHAR NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
    code          VARCHAR NOT NULL,
    message       VARCHAR NOT NULL,
    message_en    VARCHAR NOT NULL,
    source_file   VARCHAR,
    source_row    INTEGER,
    source_column VARCHAR,
    line_id       BIGINT              -- the indicator line the finding points at, if any
);
