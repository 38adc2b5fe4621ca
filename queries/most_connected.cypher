// name: most_connected
// description: Entities with the most distinct relationships to other entities.
// param: limit (integer, default 10) how many entities
// example: graphkit query most_connected --param limit=5
MATCH (e:Entity)
WHERE e.degree > 0
WITH e
ORDER BY e.degree DESC, e.name
LIMIT $limit
MATCH (e)-[r:LEADS|WORKS_FOR|MEMBER_OF|FOUNDED|CREATED|PRODUCES|OWNS|ACQUIRED|INVESTS_IN|FUNDS|PARTNERS_WITH|LOBBIES|ADVISES|MEETS|SUPPORTS|OPPOSES|PRAISES|CRITICIZES|APPOINTS|INVESTIGATES|SUES|REGULATES]-(other:Entity)
RETURN e.name AS name, e.type AS type, count(DISTINCT r) AS relationships,
       count(DISTINCT other) AS neighbours
ORDER BY relationships DESC, name
