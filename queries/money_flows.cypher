// name: money_flows
// description: Money and ownership to and from an entity (FUNDS, INVESTS_IN, ACQUIRED, OWNS) with amounts.
// param: name (string) the entity's name or one of its aliases
// example: graphkit query money_flows --param name="Elon Musk"
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($name) OR any(alias IN e.aliases WHERE toLower(alias) = toLower($name))
MATCH (e)-[r:FUNDS|INVESTS_IN|ACQUIRED|OWNS]-(other:Entity)
UNWIND CASE WHEN size(r.attributed_to) = 0 THEN [null] ELSE r.attributed_to END AS by
OPTIONAL MATCH (reporter:Entity {id: by})
WITH e, r, collect(coalesce(reporter.name, by)) AS reported_by
RETURN startNode(r).name AS from, type(r) AS relation, endNode(r).name AS to, r.amounts AS amounts,
       r.times AS times, r.denied AS denied, reported_by, r.claim_count AS claims
ORDER BY relation, from, to
