// name: stance_on
// description: Who supports, opposes, praises or criticizes a topic, policy or entity, matched by name, alias or claim topic.
// param: topic (string) words of the topic, e.g. electric vehicles
// param: limit (integer, default 200) the most rows to return
// example: graphkit query stance_on --param topic="electric vehicles"
WITH toLower($topic) AS q
MATCH (s:Entity)-[r:SUPPORTS|OPPOSES|PRAISES|CRITICIZES|LOBBIES]->(o:Entity)
WHERE toLower(o.name) CONTAINS q
   OR any(alias IN o.aliases WHERE toLower(alias) CONTAINS q)
   OR any(t IN r.topics WHERE toLower(t) CONTAINS q)
RETURN s.name AS who, type(r) AS stance, o.name AS on, r.topics AS topics, r.quotes AS quotes,
       r.denied AS denied, r.claim_count AS claims
ORDER BY on, stance, who
LIMIT $limit
