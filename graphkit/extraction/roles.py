"""Role frames: a role noun, the person holding it and the organization it names.

"Tesla CEO Elon Musk", "Jensen Huang, Nvidia's chief executive", "X is the
founder of Y", "the former Pioneer CEO", "the Tesla CEO and SpaceX founder".
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from graphkit.extraction.knowledge import Knowledge
from graphkit.extraction.state import DocState, Entity
from graphkit.extraction.syntax import RELATIVE, indices_of, lemma_of, role_at, subject_tokens

__all__ = ["RoleFrame", "find_roles", "membership", "party_state"]

_ORG_TYPES = {"Organization", "Place", "Group", "Product"}


@dataclass
class RoleFrame:
    start: int
    token: int  # the role noun (last token of the role)
    key: str
    role_text: str
    former: bool
    org: int | None  # entity index
    person_token: int | None  # a token whose entity is the holder
    places_ok: bool
    holders: tuple[int, ...] = ()  # every holder token (coordinated holders)
    relation: str = ""


def _entity_type(st: DocState, i: int) -> str | None:
    e = st.entity_at(i)
    return e.type if e else None


_CLAUSES = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "conj"})


def _near(tok: Token) -> list[Token]:
    """A phrase's own tokens: its subtree without clauses or other phrases hanging on it
    ("chairman of the House subcommittee that questioned Mason": not Mason)."""
    out = [tok]
    for child in tok.children:
        if child.dep_ not in _CLAUSES and not (child.dep_ == "prep" and child.lower_ not in ("of",)):
            out.extend(_near(child))
    return out


def _org_of(doc: Doc, st: DocState, role: Token, start: int, k: Knowledge,
            places_ok: bool = True, club: bool = False) -> tuple[int | None, bool]:
    """The organization a role names: a modifier, a possessor, "of/at Y"; and whether
    the role is held in a part of it ("chairman of the MCB's public affairs committee")."""
    candidates: list[Token] = []
    for child in role.children:
        if child.i < start and (child.dep_ in ("compound", "poss", "nmod", "amod", "npadvmod")
                                or child.dep_ == "nsubj" and role.dep_ == "compound"):
            candidates.append(child)  # ("Barcelona defender X" misparsed as a clause)
    preps = {c.lower_ for c in role.children if c.dep_ == "prep"}
    for child in role.children:
        member_role = k.roles.get(lemma_of(role), k.roles.get(role.lower_, {})).get("relation") == "MEMBER_OF"
        if child.dep_ == "prep" and (child.lower_ in ("of", "at", "for", "to", "with")
                                     or child.lower_ == "in" and member_role):  # "a figure in the party"
            if child.lower_ == "for" and role.lower_ in ("member", "mp", "mep", "mps", "meps"):
                continue  # "member for Kensington": a constituency, not an organisation
            if child.lower_ == "with" and role.lower_ in ("partner", "member"):
                continue  # "a partner with a stake in ...": no employer
            if child.lower_ == "to" and k.roles.get(lemma_of(role), k.roles.get(role.lower_, {})).get(
                    "relation") == "MEMBER_OF":
                continue  # "U.S. representative to the United Nations": an envoy, no member
            if child.lower_ == "of" and preps & {"for", "at"}:
                continue  # "head of UK equities for Standard Life": the "of" is a division
            candidates.extend(c for c in child.children if c.dep_ == "pobj")
            if child.lower_ == "to":  # "an adviser to Kwame Mensah": a person may be advised
                for c in child.children:
                    e = st.entity_at(c.i)
                    if c.dep_ == "pobj" and e is not None and e.type == "Person":
                        return e.idx, False
    # "Exxon CEO Darren Woods": the organization and role may both hang on the name
    j = start - 1
    while j >= 0 and doc[j].tag_ == "POS":
        j -= 1
    if j >= 0 and doc[j].head.i == role.head.i and role.dep_ == "compound":
        candidates.append(doc[j])
    if role.dep_ == "compound":  # "Kestrel Motors' newly appointed chief executive Aiko Tanaka"
        candidates.extend(c for c in role.head.children if c.i < start and c.dep_ in ("poss", "compound")
                          and c.i != j)
    owners = list(role.children) + (list(role.head.children) if role.dep_ == "compound" else [])
    for child in owners:  # "Disney, whose chief executive Bob Iger said"
        if child.dep_ == "poss" and child.lower_ == "whose":
            for anc in [role, *role.ancestors]:
                if anc.dep_ in ("relcl", "appos"):  # (the parser may hang it as an apposition)
                    candidates.append(anc.head)
                    break
            else:  # (or as the main clause): the name right before ", whose"
                if child.i >= 2 and doc[child.i - 1].text == ",":
                    candidates.append(doc[child.i - 2])
    for cand in candidates:
        place = st.entity_at(cand.i)
        if club and place is not None and place.type == "Place" and cand.i < start:
            # "Barcelona defender X": the club named after the city
            return st.add_entity(place.name, "Organization", kind="club").idx, False
        if cand.pos_ == "NOUN" and lemma_of(cand) in k.sets["part_nouns"]:
            for c in cand.children:  # "head of Kelmar's truck unit, Dorsk": the part has a name
                e = st.entity_at(c.i)
                if c.dep_ == "appos" and e is not None and e.type == "Organization":
                    return e.idx, False
        if cand.dep_ == "pobj" and cand.pos_ == "NOUN" and cand.tag_ == "NNS" and st.entity_at(cand.i) is None \
                and lemma_of(cand) not in k.sets["part_nouns"] and lemma_of(cand) not in k.sets["governing_parts"] \
                and k.descriptions.get(lemma_of(cand)) != "Organization":
            continue  # "a spokesman for Yukos' lawyers": he speaks for the lawyers, not for Yukos
        # the entity may sit on any token of the modifier phrase
        for t in _near(cand):
            e = st.entity_at(t.i)
            if e is not None and e.type in _ORG_TYPES and not e.synthetic and not (t.i >= start and t.i <= role.i) \
                    and st.token_entity.get(role.i) != e.idx \
                    and (places_ok or e.type != "Place"):
                # ("Middle East correspondent for The Associated Press": the region is his beat)
                if e.name.lower() in k.sets["department_words"] or (
                        role.lower_ in ("minister", "secretary") and all(
                            w in k.sets["department_words"] or w in ("and", "&")
                            for w in e.name.lower().split())):
                    # "Energy Minister": only a department the article names ("Energy Ministry")
                    named = [o for o in st.entities if o.idx != e.idx and o.type == "Organization"
                             and e.name.lower() in o.name.lower().split()
                             and set(o.name.lower().split()) & k.sets["ministry_nouns"]]
                    return (named[0].idx if named else None), False
                first = next((a for a, b in e.mentions if a <= t.i < b), t.i)
                before = st.entity_at(first - 1) if first > 0 else None
                if e.type == "Place" and before is not None and before.type == "Organization" \
                        and first - 1 < role.i:
                    return before.idx, True  # "GM Europe president X": a region of GM, not Europe
                here = st.entity_at(cand.i)  # (a part noun a description resolved is still a part)
                part = cand.dep_ == "pobj" and cand.pos_ == "NOUN" and lemma_of(cand) in k.sets["part_nouns"] \
                    and (here is None or not any(a <= cand.i < b for a, b in here.mentions))
                if cand.i > role.i and not part:  # "of the MCB's public affairs committee"
                    end = next((b for a, b in e.mentions if a <= t.i < b), t.i + 1)
                    if end < len(doc) and doc[end].tag_ == "POS":
                        for x in doc[end + 1:end + 5]:
                            if x.pos_ == "NOUN" and lemma_of(x) in k.sets["part_nouns"]:
                                part = True
                            if x.pos_ not in ("ADJ", "NOUN", "PROPN") or x.i in st.token_entity:
                                break
                return e.idx, part
    if role.lower_ in ("minister", "secretary"):
        # "the French finance minister" in an article that names "the finance ministry"
        words = {c.lower_ for c in role.children if c.i < role.i and c.dep_ in ("compound", "amod")
                 and c.lower_ in k.sets["department_words"]}
        for word in words:
            named = [o for o in st.entities if o.type == "Organization" and word in o.name.lower().split()
                     and set(o.name.lower().split()) & k.sets["ministry_nouns"]]
            if len(named) == 1:
                return named[0].idx, False
    return None, False


def membership(org: Entity) -> str:
    """How a person belongs to a body named beside them: a party or a parliament has
    members (MEMBER_OF), anything else employs (WORKS_FOR)."""
    return "MEMBER_OF" if org.kind in ("party", "legislature") else "WORKS_FOR"


def party_state(tok: Token) -> str | None:
    """The party letter of a US party-and-state tag ("D-Mich.", "R-S.C."): "D", "R", "I"."""
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 2].text in ("D", "R", "I") and doc[tok.i - 1].text == "-" \
            and tok.text[:1].isupper() and len(tok.text) <= 6:
        return doc[tok.i - 2].text
    return None


def _holder(doc: Doc, st: DocState, role: Token, k: Knowledge,
            types: frozenset[str] = frozenset({"Person"})) -> int | None:
    """A token whose entity holds the role."""
    if role.dep_ == "compound" and _entity_type(st, role.head.i) in types:
        return role.head.i
    if role.tag_ in ("NNS", "NNPS"):  # "two Financial Times journalists, including Dan McCrum"
        named = [p for c in role.children if c.dep_ == "prep" and c.lower_ in ("including", "like")
                 for p in c.children if p.dep_ == "pobj" and _entity_type(st, p.i) in types]
        if named:
            return named[0].i
    if role.dep_ == "appos" and role.head.dep_ == "appos" and party_state(role.head) \
            and _entity_type(st, role.head.head.i) in types:
        return role.head.head.i  # "Sen. X, D-Mich., chairman of the Banking Committee"
    if role.dep_ == "appos":
        # "talks with Anne Vos and Luc Frieden, Luxembourg's prime minister": the parser
        # hangs the apposition on the first conjunct; it describes the last one before it
        conj = [c.i for c in role.head.children if c.dep_ == "conj" and c.i < role.i
                and role.tag_ not in ("NNS", "NNPS")]  # "X and Y, co-founders of Z": both
        holder = max(conj) if conj else role.head.i
        if _entity_type(st, holder) in types:
            return holder
        if conj:
            return None
    for child in role.children:
        if child.dep_ in ("appos", "conj") and _entity_type(st, child.i) in types:
            return child.i
    for child in role.children:  # "the chairman of the Front, Mohamed Issa,": the parser
        if child.dep_ == "prep" and child.lower_ == "of":  # hangs the name on the body
            for p in child.children:
                named = [a.i for a in p.children if a.dep_ == "appos" and a.i > p.i
                         and _entity_type(st, a.i) in types and "Person" in types]
                if p.dep_ == "pobj" and named and _entity_type(st, p.i) not in types:
                    return named[0]
    if role.dep_ in ("attr", "oprd") or (role.dep_ == "pobj" and role.head.lower_ == "as"):
        verb = role.head if role.dep_ != "pobj" else role.head.head
        for child in subject_tokens(verb) if verb.pos_ in ("VERB", "AUX") else []:
            if child.lower_ in RELATIVE and child.head.dep_ == "relcl":
                child = child.head.head
            if _entity_type(st, child.i) in types:
                return child.i
            for grand in child.children:  # "His son, Lachlan Murdoch, is ..."
                if grand.dep_ == "appos" and _entity_type(st, grand.i) in types:
                    return grand.i
    if role.dep_ == "conj":
        first = role.head
        while first.dep_ == "conj":
            first = first.head
        if first.i != role.i:
            if _entity_type(st, first.i) in types and role_at(doc, first.i, k) is None:
                # "Dario Amodei and other former OpenAI researchers" share the role;
                # "a meeting between him and an MI6 agent": the agent is someone else
                return first.i if any(c.lower_ in ("other", "fellow") for c in role.children) else None
            found = _holder(doc, st, first, k, types)  # "the venture capitalist and former X executive"
            if found is not None:
                return found
            return first.i if _entity_type(st, first.i) in types else None  # "The Tesla CEO and SpaceX founder"
    if _entity_type(st, role.i) in types:
        return role.i
    return None


def _coordinated(doc: Doc, st: DocState, tok: int | None, types: frozenset[str],
                 k: Knowledge | None = None) -> tuple[int, ...]:
    """The holder and the holders coordinated with it ("X and Y, co-founders of Z"); a
    conjunct with a role of its own ("... and Jean Dupont, Luxembourg's prime minister")
    holds that one instead."""
    if tok is None:
        return ()
    out = [tok]
    head = doc[tok]
    conjs = [c for c in head.children if c.dep_ == "conj"]
    for c in list(conjs):  # "Carlson, Hannity and Bartiromo": conjuncts hang on conjuncts
        conjs += [g for g in c.children if g.dep_ == "conj"]
    for c in conjs:
        if _entity_type(st, c.i) in types:
            own_role = k is not None and any(  # "... and ONGC chairman Subir Raha"
                a.dep_ in ("appos", "compound", "amod") and role_at(doc, a.i, k) is not None
                for a in c.children) or k is not None and any(  # "and X, Luxembourg's premier"
                a.dep_ == "appos" and a.i > c.i and a.tag_ not in ("NNS", "NNPS")
                and role_at(doc, a.i, k) is not None for a in head.children)
            own_body = any(a.dep_ == "poss" and a.i < c.i and st.entity_at(a.i) is not None
                           and st.entity_at(a.i).type == "Organization" for a in c.children)
            if not own_role and not own_body:  # ("Fiat boss X and GM's Y": Y is GM's, not Fiat's)
                out.append(c.i)
    return tuple(out)


def find_roles(doc: Doc, st: DocState, k: Knowledge) -> list[RoleFrame]:
    """Every role noun of the doc with its organization and holder (where found)."""
    frames: list[RoleFrame] = []
    if st.role_tokens is None:  # where roles end does not depend on the entities: found once
        st.role_tokens = [(i, found) for i in indices_of(doc, k.role_last_words, lemmas=True)
                          if doc[i].pos_ in ("NOUN", "PROPN", "ADJ") or doc[i].dep_ == "compound"
                          for found in [role_at(doc, i, k)] if found is not None]
    spans = [(found[0], i) for i, found in st.role_tokens]
    for i, found in st.role_tokens:
        if any(s0 <= found[0] and i < e0 for s0, e0 in spans if (s0, e0) != (found[0], i)):
            continue  # "Secretary" inside "Secretary of State": the longer role holds
        tok = doc[i]
        start, key = found
        nxt = st.entity_at(tok.i + 1) if tok.i + 1 < len(doc) else None
        if tok.text.istitle() and not tok.is_sent_start and not (nxt is not None and nxt.type == "Person") \
                and any(c.dep_ in ("amod", "compound") and c.i < start and c.text[:1].isupper()
                        and (c.pos_ == "ADJ" or c.ent_type_ == "NORP" or c.lower_ in k.sets["body_adjectives"])
                        for c in tok.children) \
                and not (tok.dep_ == "compound" and tok.head.pos_ == "PROPN"):
            continue  # "the Scottish Executive": a capitalised role word inside a name
        if tok.pos_ == "ADJ" and start == tok.i:
            continue  # a lone adjective ("executive order") is no role
        if tok.i + 1 < len(doc) and role_at(doc, tok.i + 1, k) and doc[tok.i + 1].dep_ == tok.dep_:
            continue  # part of a longer role ("chief executive officer")
        spec = k.roles[key]
        types = frozenset(spec.get("holder") or k.default_holder)
        org, part = _org_of(doc, st, tok, start, k, places_ok=bool(spec.get("places")),
                            club=bool(spec.get("club")))
        if org is None and tok.dep_ == "conj" and role_at(doc, tok.head.i, k) is not None:
            # "Microsoft's vice chair and president": the second role shares the first's body
            org, part = _org_of(doc, st, tok.head, role_at(doc, tok.head.i, k)[0], k,
                                places_ok=bool(spec.get("places")))
        former = any(doc[j].lower_.rstrip("-") in k.former_markers or doc[j].lower_.startswith("ex-")
                     for j in range(max(0, start - 3), start))  # "Ex-Welsh Office Minister"
        former = former or any(c.dep_ == "amod" and c.lower_ in k.former_markers for c in tok.children)
        # "the resignation of BBC chairman Gavyn Davies", "resigned as chairman": held no more
        for t in [tok] + ([tok.head] if tok.dep_ == "compound" else []):
            up = t.head
            if t.dep_ == "pobj" and up.lower_ == "of" and lemma_of(up.head) in k.sets["ending_nouns"]:
                former = True
            if t.dep_ == "pobj" and up.lower_ == "as" and lemma_of(up.head) in k.sets["ending_verbs"]:
                former = True
        # "a senior KGB officer who defected in 1985": the clause on the role ends it
        if any(c.dep_ == "relcl" and lemma_of(c) in k.sets["ending_verbs"] and c.tag_ in ("VBD", "VBN")
               for t in [tok] + ([tok.head] if tok.dep_ == "compound" else []) for c in t.children):
            former = True
        # "when he was Home Secretary": a role held in the past; "now he is not X": none
        copula = tok.head if tok.dep_ == "attr" and lemma_of(tok.head) == "be" else None
        if copula is not None and any(c.dep_ == "neg" for c in copula.children):
            continue
        if copula is not None and (copula.tag_ == "VBD" or copula.tag_ == "VBN" and any(
                c.dep_ == "aux" and c.lower_ == "had" for c in [*copula.children, *(
                    copula.head.children if copula.dep_ == "conj" else ())])):
            former = True  # "was chairman", "had been leader of the party"
        text = doc[start:tok.i + 1].text
        if text.lower().startswith("ex-"):
            former, text = True, text[3:]
        relation = spec["relation"]
        if any(doc[j].lower_ in k.sets["shadow_markers"] for j in range(max(0, start - 3), start)):
            continue  # "shadow home secretary": the opposition's spokesman, not the ministry's head
        junior = any(doc[j].lower_ in k.junior_markers for j in range(max(0, start - 2), start))
        # "global advisory leader at PwC", "public affairs director": the head of a part
        narrowed = any(c.i < start and c.dep_ in ("amod", "compound") and c.is_alpha
                       and (c.is_lower or c.is_sent_start and c.text[1:].islower()
                            and st.entity_at(c.i) is None)  # "Finance chief X said"
                       and c.lower_ not in k.sets["role_neutral_modifiers"]
                       and c.lower_ not in k.former_markers and c.lower_ not in k.junior_markers
                       and (c.lower_ not in k.sets["department_words"]
                            or key not in ("minister", "secretary"))  # "finance chief" heads a part
                       and st.entity_at(c.i) is None for c in tok.children)
        division = any(c.dep_ == "prep" and c.lower_ == "of" and not any(
            st.entity_at(t.i) for t in c.subtree) for c in tok.children) and not (
            tok.dep_ in ("dobj", "obj") and lemma_of(tok.head) in k.sets["of_complement_verbs"])
        # "convicted the fund's managing director of negligence": the verb's "of", no division
        if relation == "LEADS" and (junior or (division and org is not None) or (
                narrowed and org is not None and st.entities[org].type == "Organization")):
            relation = "WORKS_FOR"
            if division:  # "president of global affairs"
                of = next(c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of")
                text = doc[start:of.right_edge.i + 1].text
        if relation == "LEADS" and org is not None and st.entities[org].type == "Organization" \
                and spec.get("org_relation") and former:
            relation = spec["org_relation"]  # a former governor of a central bank worked for it
        if relation == "LEADS" and org is not None and (
                st.entities[org].name.lower().split()[-1] in k.sets["collective_bodies"]
                and key in ("minister", "secretary")):
            relation = "MEMBER_OF"  # "a Cabinet minister" sits in the cabinet
        preps = {c.lower_ for c in tok.children if c.dep_ == "prep"}
        if relation in ("LEADS", "WORKS_FOR") and org is not None and st.entities[org].kind == "party" \
                and key not in k.sets["party_head_roles"] and key in k.sets["political_titles"]:
            relation = "MEMBER_OF"  # "SNP Justice Minister X": a party's minister is its member
        if relation == "LEADS" and org is not None and part:
            # "chairman of the House oversight subcommittee": a part of the House
            relation = membership(st.entities[org])
        org_start = next((a for a, _ in st.entities[org].mentions if a < start), None) if org is not None else None
        if org is not None and key in k.sets["portfolio_roles"] and st.entities[org].kind != "party" and (
                org_start is not None and org_start > 0 and doc[org_start - 1].text in k.party_words
                or start > 0 and doc[start - 1].text in k.party_words
                and any(c.dep_ == "prep" and c.lower_ == "for" for c in tok.children)):
            # "Labour Treasury spokesman X", "the Conservative spokesman for the Cabinet Office":
            # the party's portfolio, not the department's
            org = None
        if relation == "LEADS" and key == "minister" and org is not None and tok.i > 0 \
                and st.entity_at(tok.i - 1) is st.entities[org] \
                and st.entities[org].name.split()[-1].lower() in k.sets["ministry_nouns"] | {"treasury"}:
            relation = "WORKS_FOR"  # "Home Office minister X": a minister in the department, not its head
        if relation == "LEADS" and not former and any(c.dep_ == "det" and c.lower_ in ("a", "an")
                                                      for c in tok.children):
            # "a director of BAE Systems": one of several, not the head
            relation = "MEMBER_OF" if key == "director" else "WORKS_FOR"
        if relation == "LEADS" and org is not None and "to" in preps and not preps & {"of", "at"}:
            relation = "WORKS_FOR"  # "Chief Secretary to the Treasury" serves it, heads nothing
        if relation == "LEADS" and "of" in preps and preps & {"for", "at"}:
            relation = "WORKS_FOR"  # "head of UK equities for Standard Life"
            division = True
        holder = _holder(doc, st, tok, k, types)
        frames.append(RoleFrame(
            start=start, token=tok.i, key=key, role_text=spec.get("role") or text,
            former=former, org=org, person_token=holder,
            places_ok=bool(spec.get("places")),
            holders=_coordinated(doc, st, holder, types, k), relation=relation,
        ))
    return frames
