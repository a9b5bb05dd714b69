-- article_screening_hits: every distinct ORG and PERSON mention of an article that matches a
-- party on a screening list, with the listed name, the list, its programs, the score and the
-- reason ('exact', 'alias' or 'fuzzy'). Needs articles(id, path, title, body) and a list table
-- named csl in the CSL format (columns name, alt_names, source, programs; load it with
-- SELECT csv_import('consolidated.csv', 'csl')). See README "Screening".
CREATE VIEW article_screening_hits(article_id, entity, label, listed_name, source, programs,
                                   score, reason) AS
SELECT m.article_id, m.entity, m.label, s.name, s.source, s.programs, s.score, s.reason
FROM (SELECT DISTINCT a.id AS article_id, e.entity AS entity, e.label AS label
      FROM articles a, entities(a.body) e
      WHERE e.label IN ('ORG', 'PERSON')) m,
     screen(m.entity, 'csl') s;
