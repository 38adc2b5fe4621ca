// name: common_connections
// description: Entities directly related to both of two entities, with the relations on each side.
// param: a (string) one entity's name or alias
// param: b (string) the other entity's name or alias
// example: graphkit query common_connections --param a="Elon Musk" --param b="Joe Biden"
MATCH (x:Entity), (y:Entity)
WHERE (toLower(x.name) = toLower($a) OR any(alias IN x.aliases WHERE toLower(alias) = toLower($a)))
  AND (toLower(y.name) = toLower($b) OR any(alias IN y.aliases WHERE toLower(alias) = toLower($b)))
  AND x <> y
MATCH (x)-[r1:LEADS|WORKS_FOR|MEMBER_OF|FOUNDED|CREATED|PRODUCES|OWNS|ACQUIRED|INVESTS_IN|FUNDS|PARTNERS_WITH|LOBBIES|ADVISES|MEETS|SUPPORTS|OPPOSES|PRAISES|CRITICIZES|APPOINTS|INVESTIGATES|SUES|REGULATES]-(c:Entity)-[r2:LEADS|WORKS_FOR|MEMBER_OF|FOUNDED|CREATED|PRODUCES|OWNS|ACQUIRED|INVESTS_IN|FUNDS|PARTNERS_WITH|LOBBIES|ADVISES|MEETS|SUPPORTS|OPPOSES|PRAISES|CRITICIZES|APPOINTS|INVESTIGATES|SUES|REGULATES]-(y)
WHERE c <> x AND c <> y
RETURN c.name AS connection, c.type AS type,
       collect(DISTINCT type(r1)) AS with_a, collect(DISTINCT type(r2)) AS with_b
ORDER BY connection
