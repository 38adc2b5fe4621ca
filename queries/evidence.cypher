// name: evidence
// description: The sentences and articles behind one relationship.
// param: subject (string) the subject's name or alias
// param: relation (string) a relation of the ontology, e.g. ADVISES
// param: object (string) the object's name or alias
// example: graphkit query evidence --param subject="Elon Musk" --param relation=ADVISES --param object="Donald Trump"
MATCH (c:Claim {relation: $relation})-[:SUBJECT]->(s:Entity)
WHERE toLower(s.name) = toLower($subject) OR any(alias IN s.aliases WHERE toLower(alias) = toLower($subject))
MATCH (c)-[:OBJECT]->(o:Entity)
WHERE toLower(o.name) = toLower($object) OR any(alias IN o.aliases WHERE toLower(alias) = toLower($object))
MATCH (c)-[:FROM]->(a:Article)
RETURN c.evidence AS sentence, c.start AS start, c.end AS end, c.polarity AS polarity,
       c.modality AS modality, c.attributed_to AS attributed_to, c.confidence AS confidence,
       a.id AS article, a.title AS title, a.date AS date, a.url AS url
ORDER BY date, article, start
