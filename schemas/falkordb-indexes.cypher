// graphkit's property-graph model on FalkorDB (the embedded store): indexes.
// FalkorDB 4.16 has no CREATE CONSTRAINT ... REQUIRE; uniqueness comes from MERGE on id.
CREATE INDEX FOR (e:Entity) ON (e.id);
CREATE INDEX FOR (a:Article) ON (a.id);
CREATE INDEX FOR (c:Claim) ON (c.id);
CREATE INDEX FOR (c:Claim) ON (c.relation);
CREATE INDEX FOR (e:Entity) ON (e.name);
