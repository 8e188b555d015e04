-- Actions the policy gives to two people (require_second_person): the first person's request and, once a different
-- authorised person confirms it, who that was. Plain SQL types only, so the same table works on PostgreSQL.
CREATE TABLE second_person_request (
    id             VARCHAR(64)  NOT NULL PRIMARY KEY,
    org            VARCHAR(255) NOT NULL,
    database_name  VARCHAR(255) NOT NULL,
    number         INTEGER      NOT NULL,
    action         VARCHAR(64)  NOT NULL,
    requested_by   VARCHAR(64)  NOT NULL,
    requested_at   BIGINT       NOT NULL,
    expires_at     BIGINT       NOT NULL,
    status         VARCHAR(16)  NOT NULL,
    confirmed_by   VARCHAR(64),
    decided_at     BIGINT
);
CREATE INDEX second_person_request_by_deploy_request ON second_person_request (org, database_name, number);
