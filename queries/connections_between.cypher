// name: connections_between
// description: The shortest paths (up to 4 relationships) between two entities, with the relation on every hop.
// param: a (string) one entity's name or alias
// param: b (string) the other entity's name or alias
// param: limit (integer, default 25) the most paths to return
// example: graphkit query connections_between --param a="Elon Musk" --param b="U.S. Space Force"
MATCH (x:Entity), (y:Entity)
WHERE (toLower(x.name) = toLower($a) OR any(alias IN x.aliases WHERE toLower(alias) = toLower($a)))
  AND (toLower(y.name) = toLower($b) OR any(alias IN y.aliases WHERE toLower(alias) = toLower($b)))
  AND x <> y
WITH x, y
MATCH p = allShortestPaths((x)-[:LEADS|WORKS_FOR|MEMBER_OF|FOUNDED|CREATED|PRODUCES|OWNS|ACQUIRED|INVESTS_IN|FUNDS|PARTNERS_WITH|LOBBIES|ADVISES|MEETS|SUPPORTS|OPPOSES|PRAISES|CRITICIZES|APPOINTS|INVESTIGATES|SUES|REGULATES*..4]-(y))
RETURN [n IN nodes(p) | n.name] AS path,
       [r IN relationships(p) | {from: startNode(r).name, relation: type(r), to: endNode(r).name}] AS hops,
       length(p) AS length
ORDER BY length
LIMIT $limit
