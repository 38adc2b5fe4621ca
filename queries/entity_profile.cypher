// name: entity_profile
// description: An entity with its type and aliases, and every relationship in and out with its claim count.
// param: name (string) the entity's name or one of its aliases
// example: graphkit query entity_profile --param name="Elon Musk"
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($name) OR any(alias IN e.aliases WHERE toLower(alias) = toLower($name))
OPTIONAL MATCH (e)-[r:LEADS|WORKS_FOR|MEMBER_OF|FOUNDED|CREATED|PRODUCES|OWNS|ACQUIRED|INVESTS_IN|FUNDS|PARTNERS_WITH|LOBBIES|ADVISES|MEETS|SUPPORTS|OPPOSES|PRAISES|CRITICIZES|APPOINTS|INVESTIGATES|SUES|REGULATES|RELATED_TO]->(o:Entity)
WITH e, collect({relation: type(r), other: o.name, claims: r.claim_count, denied: r.denied}) AS outs
OPTIONAL MATCH (s:Entity)-[r2:LEADS|WORKS_FOR|MEMBER_OF|FOUNDED|CREATED|PRODUCES|OWNS|ACQUIRED|INVESTS_IN|FUNDS|PARTNERS_WITH|LOBBIES|ADVISES|MEETS|SUPPORTS|OPPOSES|PRAISES|CRITICIZES|APPOINTS|INVESTIGATES|SUES|REGULATES|RELATED_TO]->(e)
WITH e, outs, collect({relation: type(r2), other: s.name, claims: r2.claim_count, denied: r2.denied}) AS ins
RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases,
       [x IN outs WHERE x.other IS NOT NULL] AS outgoing,
       [x IN ins WHERE x.other IS NOT NULL] AS incoming
