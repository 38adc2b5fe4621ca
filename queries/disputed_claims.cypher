// name: disputed_claims
// description: Claims someone denied or the text negates, with who reported them and who denied them.
// param: denied (string, default "denied") the polarity of a denied claim
// param: negated (string, default "negated") the polarity of a negated claim
// param: limit (integer, default 200) the most rows to return
// example: graphkit query disputed_claims
MATCH (c:Claim)-[:SUBJECT]->(s:Entity)
MATCH (c)-[:OBJECT]->(o:Entity)
MATCH (c)-[:FROM]->(a:Article)
WHERE c.polarity = $denied OR c.polarity = $negated
OPTIONAL MATCH (reporter:Entity {id: c.attributed_to})
RETURN s.name AS subject, c.relation AS relation, o.name AS object, c.polarity AS polarity,
       coalesce(reporter.name, c.attributed_to) AS reported_by,
       CASE WHEN c.polarity = $denied THEN s.name END AS denied_by,
       c.topic AS topic, c.evidence AS evidence, a.id AS article, a.date AS date
ORDER BY date, subject
LIMIT $limit
