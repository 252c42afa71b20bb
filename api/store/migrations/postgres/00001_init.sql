-- +goose Up
CREATE TABLE agencies (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL UNIQUE,   -- folded name: one agency per name
    short_name  TEXT    NOT NULL DEFAULT '',
    header      TEXT    NOT NULL DEFAULT '[]', -- JSON array of header lines
    symbol      TEXT    NOT NULL DEFAULT '',
    place       TEXT    NOT NULL DEFAULT '',
    parent_id   BIGINT REFERENCES agencies(id) ON DELETE RESTRICT,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE plans (
    id             BIGSERIAL PRIMARY KEY,
    kind           TEXT    NOT NULL,
    number         INTEGER NOT NULL DEFAULT 0,
    symbol         TEXT    NOT NULL DEFAULT '',
    date           TEXT    NOT NULL,           -- YYYY, YYYY-MM or YYYY-MM-DD
    year           INTEGER NOT NULL,
    agency_id      BIGINT NOT NULL REFERENCES agencies(id) ON DELETE RESTRICT,
    issuer         TEXT    NOT NULL DEFAULT '',
    title          TEXT    NOT NULL,
    title_key      TEXT    NOT NULL,           -- folded title for diacritic-insensitive search
    authority      TEXT    NOT NULL DEFAULT '',
    legal_bases    TEXT    NOT NULL DEFAULT '[]',
    body           TEXT    NOT NULL DEFAULT '',
    recipients     TEXT    NOT NULL DEFAULT '[]',
    archive        TEXT    NOT NULL DEFAULT '',
    signature      TEXT    NOT NULL DEFAULT 'null',
    promulgated_by TEXT    NOT NULL DEFAULT 'null', -- the promulgating decision, JSON
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX plans_year ON plans(year);
CREATE INDEX plans_agency ON plans(agency_id);

CREATE TABLE appendices (
    id          BIGSERIAL PRIMARY KEY,
    plan_id     BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    heading     TEXT    NOT NULL DEFAULT '',
    title       TEXT    NOT NULL,
    columns     TEXT    NOT NULL DEFAULT '[]',
    agency_list TEXT    NOT NULL DEFAULT '',
    landscape   BOOLEAN,
    UNIQUE (plan_id, position)
);

CREATE TABLE tasks (
    id          BIGSERIAL PRIMARY KEY,
    plan_id     BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    appendix_id BIGINT NOT NULL REFERENCES appendices(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    content     TEXT    NOT NULL,
    output      TEXT    NOT NULL DEFAULT '',
    deadline    TEXT    NOT NULL DEFAULT '',
    note        TEXT    NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX tasks_appendix ON tasks(appendix_id, position);
CREATE INDEX tasks_plan ON tasks(plan_id);

-- The agencies of a task, as relations, keeping the name as the plan wrote it.
CREATE TABLE task_agencies (
    task_id    BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    role       TEXT    NOT NULL CHECK (role IN ('lead', 'cooperating')),
    position   INTEGER NOT NULL,
    agency_id  BIGINT NOT NULL REFERENCES agencies(id) ON DELETE RESTRICT,
    written_as TEXT    NOT NULL,
    PRIMARY KEY (task_id, role, position)
);
CREATE INDEX task_agencies_agency ON task_agencies(agency_id);

-- +goose Down
DROP TABLE task_agencies;
DROP TABLE tasks;
DROP TABLE appendices;
DROP TABLE plans;
DROP TABLE agencies;
