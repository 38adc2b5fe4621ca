// name: contradictions
// description: Subjects that both support and oppose, or both praise and criticize, the same object.
// example: graphkit query contradictions
MATCH (s:Entity)-[r1:SUPPORTS]->(o:Entity)<-[r2:OPPOSES]-(s)
RETURN s.name AS subject, type(r1) AS stance, type(r2) AS counter_stance, o.name AS object,
       r1.sources AS stance_sources, r2.sources AS counter_sources
UNION
MATCH (s:Entity)-[r1:PRAISES]->(o:Entity)<-[r2:CRITICIZES]-(s)
RETURN s.name AS subject, type(r1) AS stance, type(r2) AS counter_stance, o.name AS object,
       r1.sources AS stance_sources, r2.sources AS counter_sources
