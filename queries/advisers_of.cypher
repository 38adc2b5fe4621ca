// name: advisers_of
// description: Who advises an entity, on what topics, reported by whom, and whether it was denied.
// param: name (string) the advised entity's name or one of its aliases
// example: graphkit query advisers_of --param name="Donald Trump"
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($name) OR any(alias IN e.aliases WHERE toLower(alias) = toLower($name))
MATCH (adviser:Entity)-[r:ADVISES]->(e)
UNWIND CASE WHEN size(r.attributed_to) = 0 THEN [null] ELSE r.attributed_to END AS by
OPTIONAL MATCH (reporter:Entity {id: by})
WITH adviser, r, collect(coalesce(reporter.name, by)) AS reported_by
RETURN adviser.name AS adviser, adviser.type AS type, r.topics AS topics, r.denied AS denied,
       reported_by, r.claim_count AS claims, r.first_seen AS first_seen, r.last_seen AS last_seen
ORDER BY claims DESC, adviser
