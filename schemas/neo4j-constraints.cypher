// graphkit's property-graph model on Neo4j 5: uniqueness constraints and indexes.
// Run once before the first load (graphkit's Neo4j loader runs it itself).
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT article_id IF NOT EXISTS FOR (a:Article) REQUIRE a.id IS UNIQUE;
CREATE CONSTRAINT claim_id IF NOT EXISTS FOR (c:Claim) REQUIRE c.id IS UNIQUE;
CREATE INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name);
CREATE INDEX claim_relation IF NOT EXISTS FOR (c:Claim) ON (c.relation);
CREATE INDEX claim_subject IF NOT EXISTS FOR (c:Claim) ON (c.subject);
