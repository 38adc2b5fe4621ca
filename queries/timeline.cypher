// name: timeline
// description: Every claim about an entity in article-date order, with its sentence.
// param: name (string) the entity's name or one of its aliases
// example: graphkit query timeline --param name="Elon Musk"
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($name) OR any(alias IN e.aliases WHERE toLower(alias) = toLower($name))
MATCH (c:Claim)-[:SUBJECT|OBJECT]->(e)
MATCH (c)-[:SUBJECT]->(s:Entity)
MATCH (c)-[:OBJECT]->(o:Entity)
MATCH (c)-[:FROM]->(a:Article)
RETURN a.date AS date, c.time AS time, s.name AS subject, c.relation AS relation, o.name AS object,
       c.polarity AS polarity, c.evidence AS evidence, a.id AS article
ORDER BY date, article, c.start
